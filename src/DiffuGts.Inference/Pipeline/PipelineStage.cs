namespace DiffuGts.Inference.Pipeline;

/// <summary>Stages of <see cref="TumorSegmentationPipeline"/> (docs/model-package.md §5), in order.</summary>
public enum PipelineStage
{
    Prompts,
    Normalise,
    Encode,
    Candidates,
    Inpaint,
    Decode,
    Residuals,
    Refine,
    PostProcess,
}
