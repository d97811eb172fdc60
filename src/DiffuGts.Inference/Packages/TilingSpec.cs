namespace DiffuGts.Inference.Packages;

/// <summary>Sliding-window settings for the image-resolution graphs. Sizes are (x, y, z) image voxels.</summary>
public sealed record TilingSpec(IReadOnlyList<int> TileSize, double Overlap, BlendMode Blend, int ImageMultiple, double ActivationBytesPerVoxel);
