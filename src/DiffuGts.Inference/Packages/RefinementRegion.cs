namespace DiffuGts.Inference.Packages;

/// <summary>
/// Where the refinement head's probability counts (docs/model-package.md §5 step 8, manifest
/// <c>segmentation.refine_within</c>): the head refines the AOVA's candidate, and a package says how far it may reach.
/// </summary>
public enum RefinementRegion
{
    /// <summary>The whole inpainted box (packages that do not say): the head may add voxels the AOVA did not flag.</summary>
    Box,

    /// <summary>
    /// The latent voxels whose anomaly probability exceeds <see cref="SegmentationSpec.AnomalyThreshold"/>, before the
    /// dilation that only widens the inpainting's context: the head can trim the AOVA's candidate, never grow it
    /// (reference package 0.4.2, whose head alone over-segmented the liver).
    /// </summary>
    AnomalyRegion,
}
