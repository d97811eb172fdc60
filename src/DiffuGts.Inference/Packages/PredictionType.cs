namespace DiffuGts.Inference.Packages;

/// <summary>What the UNet predicts.</summary>
public enum PredictionType
{
    /// <summary>The noise ε.</summary>
    Epsilon,

    /// <summary>The clean sample x0.</summary>
    Sample,

    /// <summary>v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans and Ho, 2022).</summary>
    VPrediction,

    /// <summary>Rectified flow velocity v = x0 − ε (MAISI v2, method note §5.7).</summary>
    X0MinusNoise,
}
