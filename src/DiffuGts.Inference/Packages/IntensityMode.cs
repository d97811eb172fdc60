namespace DiffuGts.Inference.Packages;

public enum IntensityMode
{
    /// <summary>Fixed window [a_min, a_max] (CT HU).</summary>
    Window,

    /// <summary>Window from the volume's own percentiles (MR).</summary>
    Percentile,
}
