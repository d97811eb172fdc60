using DiffuGts.Node.Assembly;
using DiffuGts.Node.Export;
using DiffuGts.Node.Health;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node.Jobs;

/// <summary>
/// The node's work after reception: routes released series into jobs, runs a job through the segmenter into results
/// and outbox items, and closes jobs when their deliveries end. Stateless apart from the durable stores, so a restart
/// resumes from them; configuration is read per call through the settings accessor, so routing changes apply without
/// a restart.
/// </summary>
public sealed class SeriesProcessor
{
    private readonly JobStore _jobs;
    private readonly InstanceSpool _spool;
    private readonly Outbox _outbox;
    private readonly ISeriesSegmenter _segmenter;
    private readonly Func<NodeSettings> _settings;
    private readonly TimeProvider _time;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;

    public SeriesProcessor(JobStore jobs, InstanceSpool spool, Outbox outbox, ISeriesSegmenter segmenter, Func<NodeSettings> settings,
        TimeProvider time, NodeMetrics metrics, ILogger<SeriesProcessor> logger)
    {
        _jobs = jobs;
        _spool = spool;
        _outbox = outbox;
        _segmenter = segmenter;
        _settings = settings;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Routes a released series; returns the jobs to run (none when unrouted). Idempotent per release.</summary>
    public async Task<IReadOnlyList<JobRecord>> RouteAsync(SeriesRecord series, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        Log.SeriesReleased(_logger, series.Key, series.InstanceCount, series.ReleaseCount);
        _metrics.SeriesReleased(_time.GetUtcNow() - series.LastReceived);
        var decisions = RouteMatcher.Match(series.Attributes, _settings().Routing);
        if (decisions.Count == 0)
        {
            Log.Unrouted(_logger, series.Key, series.Attributes.Modality, series.Attributes.CallingAeTitle);
            _metrics.SeriesUnrouted();
            return [];
        }

        _metrics.SeriesRouted();

        var jobs = new List<JobRecord>();
        foreach (var decision in decisions)
        {
            var a = series.Attributes;
            var id = JobId.For(a.CalledAeTitle, a.StudyInstanceUid, a.SeriesInstanceUid, decision.RuleName, series.ReleaseCount);
            var job = await _jobs.FindAsync(id, cancellationToken);
            if (job is null)
            {
                var now = _time.GetUtcNow();
                job = new JobRecord
                {
                    Id = id, Series = a, Route = decision, Release = series.ReleaseCount, Created = now, Updated = now,
                    SeriesLastReceived = series.LastReceived,
                };
                await _jobs.SaveAsync(job, cancellationToken);
            }

            Log.Routed(_logger, series.Key, decision.RuleName, decision.PromptSet, id);
            jobs.Add(job);
        }

        return jobs;
    }

    /// <summary>Runs a queued job: segmentation, results on disk, one outbox item per destination.</summary>
    public async Task<JobRecord> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State != JobState.Queued)
        {
            return job;
        }

        var settings = _settings();
        job = job with { State = JobState.Running, Attempts = job.Attempts + 1, Updated = _time.GetUtcNow() };
        await _jobs.SaveAsync(job, cancellationToken);
        Log.JobStarted(_logger, job.Id, job.Series.SeriesInstanceUid, job.Attempts);
        _metrics.JobStarted(job.Updated - job.Created);

        if (!settings.Prompts.TryGetValue(job.Route.PromptSet, out var prompts))
        {
            return await FailAsync(job, "routing", $"prompt set '{job.Route.PromptSet}' is no longer configured", cancellationToken);
        }

        var started = _time.GetTimestamp();
        SeriesSegmentationResult result;
        try
        {
            var output = Path.Combine(_spool.Paths.Results, SpoolPaths.SafeSegment(job.Id));
            var files = _spool.InstanceFiles(job.Series.StudyInstanceUid, job.Series.SeriesInstanceUid);
            var model = job.Route.Model ?? settings.Inference.ModelDirectory;
            result = await _segmenter.SegmentAsync(new SeriesSegmentationRequest(job, files, prompts, model, output), cancellationToken);
        }
        catch (SegmentationException e)
        {
            return await FailAsync(job, e.Stage, e.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or an environment fault in one job must not stop the node or the other series; the job records it.
            return await FailAsync(job, "internal", $"{e.GetType().Name}: {e.Message}", cancellationToken);
        }

        var elapsed = _time.GetElapsedTime(started);
        Log.JobResults(_logger, job.Id, result.Files.Count, result.LesionCount, elapsed.TotalSeconds);
        _metrics.ResultsWritten(elapsed, result.StageSeconds);
        if (result.Files.Count == 0)
        {
            Log.NothingFound(_logger, job.Id);
            job = job with { State = JobState.Exported, StageSeconds = result.StageSeconds, Updated = _time.GetUtcNow() };
            await _jobs.SaveAsync(job, cancellationToken);
            return job;
        }

        foreach (var peer in job.Route.Destinations)
        {
            await _outbox.EnqueueAsync(job.Id, peer, result.Files, cancellationToken);
        }

        job = job with { State = JobState.ResultsReady, ResultFiles = result.Files, StageSeconds = result.StageSeconds, Updated = _time.GetUtcNow() };
        await _jobs.SaveAsync(job, cancellationToken);
        return job;
    }

    /// <summary>Attempts due deliveries and closes jobs whose every destination has ended.</summary>
    public async Task ExportDueAsync(CancellationToken cancellationToken)
    {
        var changed = await _outbox.RunDueAsync(_settings().Peers, cancellationToken);
        foreach (var item in changed)
        {
            switch (item.State)
            {
                case OutboxState.Delivered:
                    Log.Delivered(_logger, item.JobId, item.Peer, item.Attempts);
                    _metrics.DeliverySucceeded(_time.GetUtcNow() - item.Created);
                    break;
                case OutboxState.Failed:
                    Log.DeliveryParked(_logger, item.JobId, item.Peer, item.LastError);
                    _metrics.DeliveryParked();
                    break;
                default:
                    Log.DeliveryRetry(_logger, item.JobId, item.Peer, item.Attempts, item.LastError, item.NextAttempt);
                    _metrics.DeliveryFailed();
                    break;
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        var items = await _outbox.ListAsync(cancellationToken);
        foreach (var jobId in changed.Select(i => i.JobId).Distinct(StringComparer.Ordinal))
        {
            var job = await _jobs.FindAsync(jobId, cancellationToken);
            var mine = items.Where(i => i.JobId == jobId).ToList();
            if (job is null || job.State != JobState.ResultsReady || mine.Any(i => i.State == OutboxState.Pending))
            {
                continue;
            }

            var failed = mine.Where(i => i.State == OutboxState.Failed).ToList();
            job = failed.Count == 0
                ? job with { State = JobState.Exported, Updated = _time.GetUtcNow() }
                : job with
                {
                    State = JobState.Failed,
                    FailedStage = "export",
                    LastError = string.Join("; ", failed.Select(f => $"{f.Peer}: {f.LastError}")),
                    Updated = _time.GetUtcNow(),
                };
            await _jobs.SaveAsync(job, cancellationToken);
            if (job.State == JobState.Exported && job.SeriesLastReceived != default)
            {
                _metrics.JobDelivered(job.Updated - job.SeriesLastReceived);
            }
        }
    }

    private async Task<JobRecord> FailAsync(JobRecord job, string stage, string reason, CancellationToken cancellationToken)
    {
        Log.JobFailed(_logger, job.Id, job.Series.SeriesInstanceUid, stage, reason);
        job = job with { State = JobState.Failed, FailedStage = stage, LastError = reason, Updated = _time.GetUtcNow() };
        await _jobs.SaveAsync(job, cancellationToken);
        return job;
    }
}
