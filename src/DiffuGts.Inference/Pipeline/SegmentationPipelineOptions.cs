namespace DiffuGts.Inference.Pipeline;

/// <summary>Run-time settings of the pipeline (the model's own settings live in its manifest).</summary>
public sealed record SegmentationPipelineOptions
{
    /// <summary>Peak bytes one tile may need (tiles shrink to fit; docs/model-package.md tiling.activation_bytes_per_voxel).</summary>
    public long MemoryBudgetBytes { get; init; } = 4L << 30;

    /// <summary>Overrides the manifest's inpainting step count when set.</summary>
    public int? InpaintingSteps { get; init; }

    /// <summary>
    /// Overrides the manifest's inpainting strength (fraction of the schedule the latent is noised to) when set; the
    /// reconstruction-residual ablation takes its own, chosen on validation cases (AnoDDPM noises far less than an
    /// inpainting does).
    /// </summary>
    public double? InpaintingStrength { get; init; }

    /// <summary>Which stages run (the full method by default; the others are ablations for <c>diffugts eval</c>).</summary>
    public PipelineVariant Variant { get; init; } = PipelineVariant.Full;

    /// <summary>
    /// Residual ablations only (<see cref="PipelineVariant.ReconstructionResidual"/>, <see cref="PipelineVariant.AnomalyResidual"/>):
    /// the smoothed |image − reconstruction| in normalised model intensity that counts as lesion. 0.02 is 40 HU on MAISI's
    /// window of 2000 HU, about the weakest contrast of the phantom lesions (docs/phantoms.md); 10 HU on the reference
    /// package's 500 HU window. <c>diffugts eval --residual-threshold</c> sets it (choose it on validation cases).
    /// </summary>
    public double ResidualThreshold { get; init; } = 0.02;

    /// <summary>σ in mm of the Gaussian applied to the pixel residual in the residual ablations (suppresses voxel noise).</summary>
    public double ResidualSmoothingMm { get; init; } = 1.5;
}
