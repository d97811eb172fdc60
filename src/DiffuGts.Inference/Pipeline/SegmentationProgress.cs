namespace DiffuGts.Inference.Pipeline;

/// <summary>Progress report: the prompt (null for shared stages), the stage, and the fraction of that stage done.</summary>
public sealed record SegmentationProgress(string? Prompt, PipelineStage Stage, double Fraction);
