using DiffuGts.Node.Routing;

namespace DiffuGts.Node.Assembly;

/// <summary>The durable record of a series (series/&lt;AE&gt;/&lt;Study&gt;/&lt;Series&gt;.json).</summary>
public sealed record SeriesRecord
{
    public required SeriesAttributes Attributes { get; init; }

    public SeriesState State { get; init; }

    public DateTimeOffset FirstReceived { get; init; }

    public DateTimeOffset LastReceived { get; init; }

    /// <summary>Instances stored since the series was first seen (late ones included).</summary>
    public int InstanceCount { get; init; }

    /// <summary>How often the series was released; a late-instance re-run releases it again.</summary>
    public int ReleaseCount { get; init; }

    /// <summary>
    /// The last release whose jobs routing has durably written. Below <see cref="ReleaseCount"/> only when the node died
    /// between releasing the series and writing its jobs; recovery routes such a series again (ADR 0002).
    /// </summary>
    public int RoutedRelease { get; init; }

    public SeriesKey Key => new(Attributes.CalledAeTitle, Attributes.StudyInstanceUid, Attributes.SeriesInstanceUid);
}
