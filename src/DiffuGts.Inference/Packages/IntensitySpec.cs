namespace DiffuGts.Inference.Packages;

/// <summary>
/// Intensity normalisation, MONAI's ScaleIntensityRange semantics (method note §5.8):
/// x′ = (x − a_min)/(a_max − a_min)·(b_max − b_min) + b_min, optionally clipped to [b_min, b_max].
/// </summary>
public sealed record IntensitySpec(IntensityMode Mode, double AMin, double AMax, double LowerPercentile, double UpperPercentile, double BMin, double BMax, bool Clip);
