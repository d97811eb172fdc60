namespace DiffuGts.Inference.Packages;

/// <summary>Thresholds of the pipeline (docs/model-package.md §5 steps 4 and 9).</summary>
public sealed record SegmentationSpec(double AnomalyThreshold, int DilationLatentVoxels, double ProbabilityThreshold, double MinLesionVolumeMl);
