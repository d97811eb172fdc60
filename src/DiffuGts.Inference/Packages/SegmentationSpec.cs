namespace DiffuGts.Inference.Packages;

/// <summary>Thresholds of the pipeline (docs/model-package.md §5 steps 4, 8 and 9).</summary>
public sealed record SegmentationSpec(double AnomalyThreshold, int DilationLatentVoxels, double ProbabilityThreshold, double MinLesionVolumeMl)
{
    /// <summary>Where the refinement head's probability counts (the inpainted box unless the manifest says otherwise).</summary>
    public RefinementRegion RefineWithin { get; init; } = RefinementRegion.Box;

    /// <summary>
    /// The AOVA probability above which the anomaly map alone is a mask (ablation c, "AOVA alone", and the mask that d's
    /// residual trims): the manifest's optional <c>anomaly_mask_threshold</c>, else <see cref="AnomalyThreshold"/>. The
    /// candidate region that d and e inpaint keeps <see cref="AnomalyThreshold"/>, chosen for recall since the residuals
    /// trim it; a mask needs its own, chosen for overlap, or c is scored at a threshold meant for a later stage.
    /// </summary>
    public double AnomalyMaskThreshold { get; init; } = AnomalyThreshold;

    /// <summary>
    /// The probability threshold of the <see cref="GraphRole.PixelRefinementHead"/> (ablation d): the manifest's optional
    /// <c>pixel_head_probability_threshold</c>, chosen for that head as <see cref="ProbabilityThreshold"/> was for the full
    /// one, else <see cref="ProbabilityThreshold"/>.
    /// </summary>
    public double PixelHeadProbabilityThreshold { get; init; } = ProbabilityThreshold;
}
