namespace DiffuGts.Node.Health;

/// <summary>
/// The most recent <see cref="Capacity"/> durations of one stage, in a ring. Percentiles are nearest-rank over the
/// samples in the ring, so they follow the node's recent behaviour rather than its whole life. Not thread-safe on its
/// own: <see cref="NodeMetrics"/> serialises access.
/// </summary>
internal sealed class LatencyWindow(string stage)
{
    public const int Capacity = 256;

    private readonly double[] _samples = new double[Capacity];
    private long _count;
    private double _last;

    public void Add(double seconds)
    {
        _samples[_count % Capacity] = seconds;
        _count++;
        _last = seconds;
    }

    public StageLatency Snapshot()
    {
        var held = (int)Math.Min(_count, Capacity);
        var sorted = _samples.AsSpan(0, held).ToArray();
        Array.Sort(sorted);
        return new StageLatency(stage, _count, Round(_last), Round(Percentile(sorted, 0.50)), Round(Percentile(sorted, 0.95)));
    }

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="p"/> of the samples at or below it.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double seconds) => Math.Round(seconds, 3, MidpointRounding.AwayFromZero);
}
