namespace DiffuGts.Imaging.Series;

/// <summary>Tolerances for <see cref="SeriesVolumeBuilder"/>; the defaults suit clinical CT and MR.</summary>
public sealed record SeriesVolumeOptions
{
    /// <summary>Largest difference between direction cosines still counted as the same orientation.</summary>
    public double OrientationTolerance { get; init; } = 1e-3;

    /// <summary>Two slices closer than this along the normal (mm) are duplicates.</summary>
    public double DuplicatePositionToleranceMm { get; init; } = 0.01;

    /// <summary>Allowed deviation of any slice step from the median step, as a fraction of the median.</summary>
    public double SpacingTolerance { get; init; } = 0.05;

    /// <summary>Largest in-plane drift of slice positions, in degrees off the normal, before the stack counts as tilted.</summary>
    public double MaxTiltDegrees { get; init; } = 0.1;

    /// <summary>Drop instances whose Image Type contains LOCALIZER (scouts sent with the series) instead of failing.</summary>
    public bool DropLocalizers { get; init; } = true;
}
