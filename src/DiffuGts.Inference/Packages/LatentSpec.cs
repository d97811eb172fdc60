namespace DiffuGts.Inference.Packages;

/// <summary>The VAE latent: channels C_z, downsampling f, scale_factor = 1/std(z) (method note §5.6), UNet size rules.</summary>
public sealed record LatentSpec(int Channels, int DownsamplingFactor, double ScaleFactor, int UnetMultiple, IReadOnlyList<int> UnetTileSize);
