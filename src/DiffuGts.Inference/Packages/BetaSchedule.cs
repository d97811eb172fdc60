namespace DiffuGts.Inference.Packages;

public enum BetaSchedule
{
    /// <summary>β_t = linspace(β_start, β_end, T).</summary>
    Linear,

    /// <summary>β_t = linspace(√β_start, √β_end, T)² (MAISI v1).</summary>
    ScaledLinear,
}
