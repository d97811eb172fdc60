using System.Text.Json;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using Polly;
using Polly.CircuitBreaker;

namespace DiffuGts.Node.Export;

/// <summary>
/// Durable per-destination outbox. Each item is retried with <see cref="BackoffSchedule"/> until delivered, until a
/// permanent failure (<see cref="RetryClassifier"/>), or until Export:MaxAttempts / Export:MaxAge, then parked as failed
/// with its reason. Every attempt is recorded in the item's history. A Polly circuit breaker per peer stops hammering a
/// PACS that is down: while it is open, due items wait without counting an attempt.
/// </summary>
public sealed class Outbox
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly SpoolPaths _paths;
    private readonly ExportOptions _options;
    private readonly TimeProvider _time;
    private readonly IResultSender _sender;
    private readonly Func<double> _jitter;
    private readonly bool _flushToDisk;
    private readonly Dictionary<string, ResiliencePipeline> _breakers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public Outbox(SpoolPaths paths, ExportOptions options, TimeProvider time, IResultSender sender, bool flushToDisk, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(sender);
        _paths = paths;
        _options = options;
        _time = time;
        _sender = sender;
        _flushToDisk = flushToDisk;
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    /// <summary>Queues a job's results for a peer. Enqueuing the same job twice keeps the existing item (idempotent).</summary>
    public async Task<OutboxItem> EnqueueAsync(string jobId, string peer, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var path = ItemPath(peer, jobId);
        if (File.Exists(path))
        {
            return await LoadAsync(path, cancellationToken);
        }

        var now = _time.GetUtcNow();
        var item = new OutboxItem { JobId = jobId, Peer = peer, Files = files, Created = now, NextAttempt = now };
        await SaveAsync(item, cancellationToken);
        return item;
    }

    /// <summary>Every item of every peer, as stored.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<OutboxItem>();
        if (!Directory.Exists(_paths.Outbox))
        {
            return items;
        }

        foreach (var file in Directory.EnumerateFiles(_paths.Outbox, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            items.Add(await LoadAsync(file, cancellationToken));
        }

        return items;
    }

    /// <summary>Attempts every pending item whose time has come, peer by peer; returns the items it changed.</summary>
    public async Task<IReadOnlyList<OutboxItem>> RunDueAsync(IReadOnlyDictionary<string, PeerOptions> peers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var changed = new List<OutboxItem>();
        foreach (var item in await ListAsync(cancellationToken))
        {
            if (item.State != OutboxState.Pending || item.NextAttempt > _time.GetUtcNow())
            {
                continue;
            }

            if (!peers.TryGetValue(item.Peer, out var peer))
            {
                changed.Add(await RecordAsync(item, new DeliveryFailure(DeliveryFailureKind.AssociationRejectedPermanent,
                    $"destination '{item.Peer}' is no longer configured in section Peers"), permanent: true, cancellationToken));
                continue;
            }

            var result = await AttemptAsync(item, peer, cancellationToken);
            if (result is not null)
            {
                changed.Add(result);
            }
        }

        return changed;
    }

    private async Task<OutboxItem?> AttemptAsync(OutboxItem item, PeerOptions peer, CancellationToken cancellationToken)
    {
        DeliveryFailure? failure;
        try
        {
            failure = await Breaker(item.Peer).ExecuteAsync(async ct =>
            {
                var f = await _sender.SendAsync(peer, item.Files, ct);
                // Only transient failures say something about the peer's health; a rejected object is that object's problem.
                return f is not null && RetryClassifier.IsTransient(f) ? throw new DeliveryFailedException(f) : f;
            }, cancellationToken);
        }
        catch (DeliveryFailedException e)
        {
            failure = e.Failure;
        }
        catch (BrokenCircuitException)
        {
            // The peer is known to be down: wait for the breaker without spending an attempt.
            return null;
        }

        if (failure is null)
        {
            var now = _time.GetUtcNow();
            var delivered = item with
            {
                State = OutboxState.Delivered,
                Attempts = item.Attempts + 1,
                LastError = null,
                History = [.. item.History, new DeliveryAttempt(now, true, "stored")],
            };
            await SaveAsync(delivered, cancellationToken);
            return delivered;
        }

        return await RecordAsync(item, failure, !RetryClassifier.IsTransient(failure), cancellationToken);
    }

    private async Task<OutboxItem> RecordAsync(OutboxItem item, DeliveryFailure failure, bool permanent, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var attempts = item.Attempts + 1;
        var outcome = failure.Status is { } s ? $"{failure.Kind} 0x{s:X4}: {failure.Reason}" : $"{failure.Kind}: {failure.Reason}";
        var next = now + BackoffSchedule.DelayAfter(attempts, _options.InitialDelay, _options.MaxDelay, _jitter());
        string? parked = permanent ? "permanent failure"
            : attempts >= _options.MaxAttempts ? $"gave up after {attempts} attempts"
            : next - item.Created > _options.MaxAge ? $"gave up: not delivered within {_options.MaxAge}"
            : null;
        var updated = item with
        {
            State = parked is null ? OutboxState.Pending : OutboxState.Failed,
            Attempts = attempts,
            NextAttempt = next,
            LastError = parked is null ? outcome : $"{parked}; last error {outcome}",
            History = [.. item.History, new DeliveryAttempt(now, false, outcome)],
        };
        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    private ResiliencePipeline Breaker(string peer)
    {
        lock (_gate)
        {
            if (!_breakers.TryGetValue(peer, out var pipeline))
            {
                pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
                    .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                    {
                        ShouldHandle = new PredicateBuilder().Handle<DeliveryFailedException>(),
                        FailureRatio = 1.0,
                        MinimumThroughput = _options.CircuitBreakerFailures,
                        SamplingDuration = TimeSpan.FromDays(1),
                        BreakDuration = _options.CircuitBreakDuration,
                    })
                    .Build();
                _breakers[peer] = pipeline;
            }

            return pipeline;
        }
    }

    private string ItemPath(string peer, string jobId) =>
        Path.Combine(_paths.Outbox, SpoolPaths.SafeSegment(peer), SpoolPaths.SafeSegment(jobId) + ".json");

    private Task SaveAsync(OutboxItem item, CancellationToken cancellationToken) =>
        DurableFile.WriteAllBytesAsync(ItemPath(item.Peer, item.JobId), JsonSerializer.SerializeToUtf8Bytes(item, Json), _flushToDisk, cancellationToken);

    private static async Task<OutboxItem> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<OutboxItem>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"outbox item {path} is empty");
    }

    private sealed class DeliveryFailedException(DeliveryFailure failure) : Exception(failure.Reason)
    {
        public DeliveryFailure Failure { get; } = failure;
    }
}
