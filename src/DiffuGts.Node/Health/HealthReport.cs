using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiffuGts.Node.Health;

public enum HealthStatus
{
    Healthy,

    /// <summary>Working, but something needs an operator: failed jobs, parked deliveries, a growing backlog.</summary>
    Degraded,

    /// <summary>Not doing its job: listener down, no model, or the disk below the watermark.</summary>
    Unhealthy,
}

/// <summary>A failed job as the health report shows it: which series, which stage, why.</summary>
public sealed record FailedJob(string JobId, string SeriesInstanceUid, string? Stage, string? Reason, DateTimeOffset When);

/// <summary>What an operator needs to know at a glance (issue 7 §7). Carries UIDs, never patient data.</summary>
public sealed record HealthReport
{
    /// <summary>How the report is written by the health endpoint and read by <c>diffugts health</c>: enums as names.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public HealthStatus Status { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public string? ListenerEndpoint { get; init; }

    public string SpoolRoot { get; init; } = "";

    public long FreeBytes { get; init; }

    public long TotalBytes { get; init; }

    public bool AcceptingAssociations { get; init; }

    public string? Model { get; init; }

    public string? ExecutionProvider { get; init; }

    public int SeriesReceiving { get; init; }

    public int JobsQueued { get; init; }

    public int JobsRunning { get; init; }

    public int JobsResultsReady { get; init; }

    public int JobsExported { get; init; }

    public int JobsFailed { get; init; }

    public int OutboxPending { get; init; }

    public int OutboxFailed { get; init; }

    /// <summary>Mean seconds per pipeline stage over the finished jobs.</summary>
    public IReadOnlyDictionary<string, double> MeanStageSeconds { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<FailedJob> RecentFailures { get; init; } = [];

    /// <summary>The running node's counters since it started; null when the report is built without a running node.</summary>
    public NodeCounters? Counters { get; init; }

    /// <summary>Per-stage latencies of the running node, in pipeline order (<see cref="NodeMetrics"/>).</summary>
    public IReadOnlyList<StageLatency> Latencies { get; init; } = [];
}
