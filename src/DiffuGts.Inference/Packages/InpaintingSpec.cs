namespace DiffuGts.Inference.Packages;

/// <summary>Pseudo-healthy latent inpainting settings (docs/model-package.md §5 steps 5–7).</summary>
public sealed record InpaintingSpec(double Strength, int Steps, double Eta, int LatentMarginVoxels)
{
    /// <summary>What H is compared with for the residuals (manifest <c>inpainting.residual_reference</c>, default <c>image</c>).</summary>
    public ResidualReference ResidualReference { get; init; } = ResidualReference.Image;

    /// <summary>
    /// How many pseudo-healthy samples (independent noise) are decoded and averaged into H (manifest
    /// <c>inpainting.samples</c>, default 1): the sampling noise of one inpainting averages out, what every sample
    /// changes (the lesion) stays.
    /// </summary>
    public int Samples { get; init; } = 1;

    /// <summary>How the samples are averaged (manifest <c>inpainting.average</c>, default <c>decoded</c>).</summary>
    public SampleAverage Average { get; init; } = SampleAverage.Decoded;
}
