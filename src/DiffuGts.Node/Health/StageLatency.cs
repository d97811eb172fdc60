namespace DiffuGts.Node.Health;

/// <summary>
/// One stage's latency in the health report: the last duration, and the median and 95th percentile over the most recent
/// samples (at most <c>LatencyWindow.Capacity</c>); <paramref name="Count"/> is every sample since the node started.
/// </summary>
public sealed record StageLatency(string Stage, long Count, double LastSeconds, double P50Seconds, double P95Seconds);
