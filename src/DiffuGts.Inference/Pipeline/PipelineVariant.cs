namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// Which stages of <see cref="TumorSegmentationPipeline"/> run: the full method or one of its ablations (docs/evaluation.md
/// methods b–e). A variant skips stages; every stage it runs is the same code as in <see cref="Full"/>.
/// </summary>
public enum PipelineVariant
{
    /// <summary>(e) Every stage: AOVA → candidates → inpainting → decode → residuals → refinement head → post-processing.</summary>
    Full,

    /// <summary>
    /// (b) AnoDDPM-style reconstruction residual (Wyatt et al. 2022) with the same frozen diffusion model and no AOVA: the
    /// whole latent is noised to the manifest's strength and denoised without known-region replacement, decoded, and the
    /// score is the Gaussian-smoothed |image − reconstruction| in normalised intensity. Does not depend on the prompt.
    /// </summary>
    ReconstructionResidual,

    /// <summary>(c) The AOVA anomaly probability alone, upsampled to the model grid and thresholded at the manifest's anomaly threshold.</summary>
    AnomalyMap,

    /// <summary>
    /// (d) AOVA + pixel residual. With the package's <see cref="Packages.GraphRole.PixelRefinementHead"/>: every stage of
    /// <see cref="Full"/> but the feature residual, and that head (trained without it) in place of the full one, at its
    /// own threshold. A package without it gets the rule: the AOVA candidate (c's mask) kept where the smoothed pixel
    /// residual from the inpainted pseudo-healthy image exceeds <see cref="SegmentationPipelineOptions.ResidualThreshold"/>:
    /// p = min(1, a / 2t, r / 2τ), mask p > 0.5.
    /// </summary>
    AnomalyResidual,
}
