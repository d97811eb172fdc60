namespace DiffuGts.Inference.Pipeline;

/// <summary>Wall time of one stage (per prompt where <see cref="Prompt"/> is set).</summary>
public sealed record StageTiming(string? Prompt, PipelineStage Stage, TimeSpan Elapsed);
