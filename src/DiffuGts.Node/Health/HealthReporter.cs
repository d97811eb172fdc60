using DiffuGts.Node.Assembly;
using DiffuGts.Node.Export;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;

namespace DiffuGts.Node.Health;

/// <summary>
/// Builds the health report from durable state (works with the node stopped, for <c>diffugts health</c>) plus the
/// live status when the node is running.
/// </summary>
public static class HealthReporter
{
    public static async Task<HealthReport> BuildAsync(NodeSettings settings, SpoolPaths paths, JobStore jobs, Outbox outbox,
        IReadOnlyList<SeriesRecord> series, NodeStatus? live, NodeMetrics? metrics, DiskSpaceGuard disk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(disk);
        var allJobs = await jobs.ListAsync(cancellationToken);
        var items = await outbox.ListAsync(cancellationToken);
        var (free, total) = disk.Read();
        var accepting = DiskSpaceGuard.AcceptsAssociations(free, total, settings.Storage);
        var problems = new List<string>();
        var status = HealthStatus.Healthy;

        void Problem(HealthStatus severity, string text)
        {
            problems.Add(text);
            status = (HealthStatus)Math.Max((int)status, (int)severity);
        }

        var (endpoint, model, provider, modelError) = live?.Snapshot() ?? default;
        if (live is not null && endpoint is null)
        {
            Problem(HealthStatus.Unhealthy, "the DICOM listener is not running");
        }

        if (live is not null && modelError is not null)
        {
            Problem(HealthStatus.Unhealthy, $"model not loaded: {modelError}");
        }

        if (!accepting)
        {
            Problem(HealthStatus.Unhealthy, $"low disk: {free} of {total} bytes free at {paths.Root}; new associations are refused");
        }

        var failed = allJobs.Where(j => j.State == JobState.Failed).ToList();
        if (failed.Count > 0)
        {
            Problem(HealthStatus.Degraded, $"{failed.Count} failed job(s)");
        }

        var parked = items.Count(i => i.State == OutboxState.Failed);
        if (parked > 0)
        {
            Problem(HealthStatus.Degraded, $"{parked} delivery(ies) parked as failed");
        }

        var stages = allJobs.SelectMany(j => j.StageSeconds).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(kv => kv.Value), StringComparer.Ordinal);

        return new HealthReport
        {
            Status = status,
            Problems = problems,
            ListenerEndpoint = endpoint,
            SpoolRoot = paths.Root,
            FreeBytes = free,
            TotalBytes = total,
            AcceptingAssociations = accepting,
            Model = model,
            ExecutionProvider = provider,
            SeriesReceiving = series.Count(s => s.State == SeriesState.Receiving),
            JobsQueued = allJobs.Count(j => j.State == JobState.Queued),
            JobsRunning = allJobs.Count(j => j.State == JobState.Running),
            JobsResultsReady = allJobs.Count(j => j.State == JobState.ResultsReady),
            JobsExported = allJobs.Count(j => j.State == JobState.Exported),
            JobsFailed = failed.Count,
            OutboxPending = items.Count(i => i.State == OutboxState.Pending),
            OutboxFailed = parked,
            MeanStageSeconds = stages,
            RecentFailures = [.. failed.OrderByDescending(j => j.Updated).Take(10)
                .Select(j => new FailedJob(j.Id, j.Series.SeriesInstanceUid, j.FailedStage, j.LastError, j.Updated))],
            Counters = metrics?.Counters(),
            Latencies = metrics?.Latencies() ?? [],
        };
    }
}
