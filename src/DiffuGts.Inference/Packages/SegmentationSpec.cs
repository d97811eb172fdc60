namespace DiffuGts.Inference.Packages;

/// <summary>Thresholds of the pipeline (docs/model-package.md §5 steps 4, 8 and 9).</summary>
public sealed record SegmentationSpec(double AnomalyThreshold, int DilationLatentVoxels, double ProbabilityThreshold, double MinLesionVolumeMl)
{
    /// <summary>Where the refinement head's probability counts (the inpainted box unless the manifest says otherwise).</summary>
    public RefinementRegion RefineWithin { get; init; } = RefinementRegion.Box;
}
