namespace DiffuGts.Inference.Packages;

/// <summary>How overlapping tiles are weighted when they are stitched.</summary>
public enum BlendMode
{
    /// <summary>Gaussian with σ = tile/8 per axis, as MONAI's sliding-window inferer.</summary>
    Gaussian,

    /// <summary>Tent (triangle) weights, highest at the tile centre.</summary>
    Linear,

    /// <summary>Plain average.</summary>
    Constant,
}
