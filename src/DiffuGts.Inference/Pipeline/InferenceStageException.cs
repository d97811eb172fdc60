namespace DiffuGts.Inference.Pipeline;

/// <summary>A failure inside the pipeline, carrying the stage that failed (STYLE.md §9).</summary>
public sealed class InferenceStageException : Exception
{
    public InferenceStageException()
    {
    }

    public InferenceStageException(string message)
        : base(message)
    {
    }

    public InferenceStageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InferenceStageException(PipelineStage stage, string? prompt, Exception innerException)
        : base($"inference failed in stage {stage}{(prompt is null ? "" : $" for prompt '{prompt}'")}: {innerException?.Message}", innerException)
    {
        Stage = stage;
        Prompt = prompt;
    }

    public PipelineStage Stage { get; }

    public string? Prompt { get; }
}
