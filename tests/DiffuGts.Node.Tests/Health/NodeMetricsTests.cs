using DiffuGts.Node.Health;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Health;

public sealed class NodeMetricsTests
{
    private readonly NodeMetrics _metrics = new(new FakeTimeProvider());

    [Fact]
    public void Latencies_HundredSamples_GiveNearestRankMedianAnd95thPercentile()
    {
        foreach (var seconds in Enumerable.Range(1, 100).Reverse())
        {
            _metrics.JobStarted(TimeSpan.FromSeconds(seconds));
        }

        var queue = Assert.Single(_metrics.Latencies());
        Assert.Equal(new StageLatency(NodeMetrics.Queue, 100, 1, 50, 95), queue);
    }

    [Fact]
    public void Latencies_MoreSamplesThanTheWindow_ForgetTheOldest()
    {
        for (var i = 0; i < LatencyWindow.Capacity; i++)
        {
            _metrics.JobStarted(TimeSpan.FromSeconds(1000));
        }

        for (var i = 0; i < LatencyWindow.Capacity; i++)
        {
            _metrics.JobStarted(TimeSpan.FromSeconds(2));
        }

        var queue = Assert.Single(_metrics.Latencies());
        Assert.Equal((2L * LatencyWindow.Capacity, 2.0, 2.0), (queue.Count, queue.P50Seconds, queue.P95Seconds));
    }

    [Fact]
    public void Latencies_RecordedOutOfOrder_AreListedInPipelineOrderWithSegmenterStagesInside()
    {
        _metrics.JobDelivered(TimeSpan.FromSeconds(9));
        _metrics.ResultsWritten(TimeSpan.FromSeconds(5), new Dictionary<string, double> { ["load"] = 1, ["inference.encode"] = 2, ["encode"] = 1 });
        _metrics.DeliverySucceeded(TimeSpan.FromSeconds(1));
        _metrics.SeriesReleased(TimeSpan.FromSeconds(2));
        _metrics.JobStarted(TimeSpan.Zero);

        Assert.Equal(["release", "queue", "segment.load", "segment.inference.encode", "segment.encode", "segment", "deliver", "total"],
            _metrics.Latencies().Select(l => l.Stage));
    }

    [Fact]
    public void Counters_ManyThreadsAtOnce_LoseNoIncrement()
    {
        Parallel.For(0, 10_000, i =>
        {
            _metrics.InstanceReceived();
            if (i % 10 == 0)
            {
                _metrics.InstanceRefused();
            }
            else
            {
                _metrics.InstanceStored();
            }

            _metrics.DeliverySucceeded(TimeSpan.FromMilliseconds(i));
        });

        var counters = _metrics.Counters();
        Assert.Equal((10_000L, 9_000L, 1_000L, 10_000L), (counters.InstancesReceived, counters.InstancesStored, counters.InstancesRefused, counters.DeliveriesOk));
        Assert.Equal(10_000L, Assert.Single(_metrics.Latencies()).Count);
    }
}
