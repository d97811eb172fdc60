namespace DiffuGts.Node.Health;

/// <summary>
/// The running node's counters and per-stage latencies, in memory (the durable state holds what must survive a
/// restart; these say how the node is doing now). Thread-safe: reception, assembly, the segmentation workers and export
/// record into one instance while the health endpoint reads it.
/// </summary>
/// <remarks>
/// The stages follow one series through the node (docs/operations.md): <see cref="Release"/> (last instance received →
/// series released), <see cref="Queue"/> (released → job started), the segmenter's own stages as
/// <c>segment.&lt;stage&gt;</c>, <see cref="Segment"/> (job started → results written), <see cref="Deliver"/> (results
/// written → delivered to one destination) and <see cref="Total"/> (last instance received → every destination
/// delivered).
/// </remarks>
public sealed class NodeMetrics
{
    public const string Release = "release";
    public const string Queue = "queue";
    public const string Segment = "segment";
    public const string Deliver = "deliver";
    public const string Total = "total";

    private readonly Lock _gate = new();
    private readonly DateTimeOffset _since;
    private readonly List<LatencyWindow> _order = [];
    private readonly Dictionary<string, LatencyWindow> _stages = new(StringComparer.Ordinal);
    private long _instancesReceived;
    private long _instancesStored;
    private long _instancesRefused;
    private long _seriesReleased;
    private long _seriesRouted;
    private long _seriesUnrouted;
    private long _deliveriesOk;
    private long _deliveriesFailed;
    private long _deliveriesParked;

    public NodeMetrics(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _since = time.GetUtcNow();
    }

    public void InstanceReceived() => Interlocked.Increment(ref _instancesReceived);

    public void InstanceStored() => Interlocked.Increment(ref _instancesStored);

    public void InstanceRefused() => Interlocked.Increment(ref _instancesRefused);

    /// <summary>A series was released <paramref name="sinceLastInstance"/> after its last instance arrived.</summary>
    public void SeriesReleased(TimeSpan sinceLastInstance)
    {
        Interlocked.Increment(ref _seriesReleased);
        Record(Release, sinceLastInstance.TotalSeconds);
    }

    public void SeriesRouted() => Interlocked.Increment(ref _seriesRouted);

    public void SeriesUnrouted() => Interlocked.Increment(ref _seriesUnrouted);

    /// <summary>A job started <paramref name="queued"/> after it was made.</summary>
    public void JobStarted(TimeSpan queued) => Record(Queue, queued.TotalSeconds);

    /// <summary>A job's results are on disk after <paramref name="elapsed"/>; <paramref name="stageSeconds"/> are the segmenter's own stages.</summary>
    public void ResultsWritten(TimeSpan elapsed, IReadOnlyDictionary<string, double> stageSeconds)
    {
        ArgumentNullException.ThrowIfNull(stageSeconds);
        lock (_gate)
        {
            foreach (var (stage, seconds) in stageSeconds)
            {
                Window(Segment + "." + stage).Add(seconds);
            }

            Window(Segment).Add(elapsed.TotalSeconds);
        }
    }

    /// <summary>One destination confirmed delivery <paramref name="sinceResults"/> after the results were queued for it.</summary>
    public void DeliverySucceeded(TimeSpan sinceResults)
    {
        Interlocked.Increment(ref _deliveriesOk);
        Record(Deliver, sinceResults.TotalSeconds);
    }

    public void DeliveryFailed() => Interlocked.Increment(ref _deliveriesFailed);

    public void DeliveryParked() => Interlocked.Increment(ref _deliveriesParked);

    /// <summary>Every destination of a job has its results, <paramref name="sinceLastInstance"/> after the series' last instance.</summary>
    public void JobDelivered(TimeSpan sinceLastInstance) => Record(Total, sinceLastInstance.TotalSeconds);

    public NodeCounters Counters() => new()
    {
        Since = _since,
        InstancesReceived = Interlocked.Read(ref _instancesReceived),
        InstancesStored = Interlocked.Read(ref _instancesStored),
        InstancesRefused = Interlocked.Read(ref _instancesRefused),
        SeriesReleased = Interlocked.Read(ref _seriesReleased),
        SeriesRouted = Interlocked.Read(ref _seriesRouted),
        SeriesUnrouted = Interlocked.Read(ref _seriesUnrouted),
        DeliveriesOk = Interlocked.Read(ref _deliveriesOk),
        DeliveriesFailed = Interlocked.Read(ref _deliveriesFailed),
        DeliveriesParked = Interlocked.Read(ref _deliveriesParked),
    };

    /// <summary>Every stage seen so far, in the order a series passes through them.</summary>
    public IReadOnlyList<StageLatency> Latencies()
    {
        lock (_gate)
        {
            return [.. _order.Select(w => w.Snapshot()).OrderBy(s => Rank(s.Stage))];
        }
    }

    private void Record(string stage, double seconds)
    {
        lock (_gate)
        {
            Window(stage).Add(seconds);
        }
    }

    private LatencyWindow Window(string stage)
    {
        if (!_stages.TryGetValue(stage, out var window))
        {
            window = new LatencyWindow(stage);
            _stages[stage] = window;
            _order.Add(window);
        }

        return window;
    }

    /// <summary>Pipeline order; the segmenter's stages keep the order it reported them in (OrderBy is stable).</summary>
    private static int Rank(string stage) => stage switch
    {
        Release => 0,
        Queue => 1,
        Segment => 3,
        Deliver => 4,
        Total => 5,
        _ => 2,
    };
}
