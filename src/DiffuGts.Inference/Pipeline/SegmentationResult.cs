namespace DiffuGts.Inference.Pipeline;

/// <summary>Everything one pipeline run produced, with per-stage timings.</summary>
public sealed record SegmentationResult(IReadOnlyList<PromptSegmentation> Prompts, IReadOnlyList<StageTiming> Timings);
