namespace DiffuGts.Inference.Packages;

/// <summary>A multi-scale encoder feature (f1, f2, f3) with its channel count and stride relative to the image.</summary>
public sealed record FeatureSpec(string Name, int Channels, int Stride);
