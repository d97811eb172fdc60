using DiffuGts.Node.Assembly;
using DiffuGts.Node.Routing;

namespace DiffuGts.Node.Jobs;

/// <summary>The durable record of one segmentation job (jobs/&lt;JobId&gt;.json).</summary>
public sealed record JobRecord
{
    /// <summary>Derived from the series, the rule and the release count (<see cref="JobId.For"/>): a re-release is a new job.</summary>
    public required string Id { get; init; }

    public required SeriesAttributes Series { get; init; }

    public required RouteDecision Route { get; init; }

    public int Release { get; init; }

    public JobState State { get; init; } = JobState.Queued;

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    /// <summary>The pipeline stage that failed, when one did (e.g. "geometry", "inference", "export").</summary>
    public string? FailedStage { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>When the series' last instance arrived before this release: where the end-to-end latency starts.</summary>
    public DateTimeOffset SeriesLastReceived { get; init; }

    public DateTimeOffset Updated { get; init; }

    public IReadOnlyList<string> ResultFiles { get; init; } = [];

    /// <summary>Seconds spent per stage, for the health report and the latency benchmark.</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();

    public SeriesKey SeriesKey => new(Series.CalledAeTitle, Series.StudyInstanceUid, Series.SeriesInstanceUid);
}
