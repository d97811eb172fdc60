namespace DiffuGts.Inference.Packages;

/// <summary>The graphs of a package (docs/model-package.md §3); the manifest key is the snake_case name.</summary>
public enum GraphRole
{
    VaeEncoder,
    VaeDecoder,
    DiffusionUnet,
    AovaHead,
    RefinementHead,
    TextEncoder,

    /// <summary>
    /// Optional: a refinement head trained like <see cref="RefinementHead"/> without the feature residual (same inputs;
    /// it reads zeros there), the head of the ablation "AOVA + pixel residual" (<see cref="Pipeline.PipelineVariant.AnomalyResidual"/>).
    /// </summary>
    PixelRefinementHead,
}
