namespace DiffuGts.Inference.Packages;

/// <summary>
/// How several pseudo-healthy samples become one H (manifest <c>inpainting.average</c>, docs/model-package.md §5 step 6).
/// </summary>
public enum SampleAverage
{
    /// <summary>Each sample's inpainted latent decoded, the images averaged (the default): one decode per sample.</summary>
    Decoded,

    /// <summary>
    /// The inpainted latents averaged (an estimate of the posterior mean latent) and decoded once: one decode in all,
    /// whatever the number of samples. The decoder is not linear, so H differs from <see cref="Decoded"/>'s.
    /// </summary>
    Latent,
}
