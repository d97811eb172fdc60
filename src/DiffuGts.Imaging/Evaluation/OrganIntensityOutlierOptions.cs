namespace DiffuGts.Imaging.Evaluation;

/// <summary>Settings of <see cref="OrganIntensityOutlierMethod"/>.</summary>
public sealed record OrganIntensityOutlierOptions
{
    /// <summary>|robust z| above which an organ voxel is lesion.</summary>
    public double ZThreshold { get; init; } = 3.0;

    /// <summary>Connected components (26-connected) smaller than this are dropped from the mask.</summary>
    public double MinLesionVolumeMm3 { get; init; } = 20.0;
}
