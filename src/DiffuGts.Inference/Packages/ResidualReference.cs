namespace DiffuGts.Inference.Packages;

/// <summary>
/// What the pseudo-healthy image H is compared with for the pixel and feature residuals (docs/model-package.md §5 step 7);
/// a package's refinement head was trained with one of them, so the manifest names it.
/// </summary>
public enum ResidualReference
{
    /// <summary>The normalised input I: |I − H| and f3(I) − f3(H) (packages that do not say, format 1 as first written).</summary>
    Image,

    /// <summary>
    /// The VAE's reconstruction R = D(z₀) of the box: |R − H| and f3(R) − f3(H). What the inpainting changed and nothing
    /// else; the VAE's own reconstruction error cancels (foundry reference packages from 0.3.0).
    /// </summary>
    Reconstruction,
}
