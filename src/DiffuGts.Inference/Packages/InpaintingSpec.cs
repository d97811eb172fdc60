namespace DiffuGts.Inference.Packages;

/// <summary>Pseudo-healthy latent inpainting settings (docs/model-package.md §5 step 5).</summary>
public sealed record InpaintingSpec(double Strength, int Steps, double Eta, int LatentMarginVoxels);
