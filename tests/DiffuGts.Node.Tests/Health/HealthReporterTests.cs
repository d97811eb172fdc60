using DiffuGts.Node.Export;
using DiffuGts.Node.Health;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Health;

public sealed class HealthReporterTests : IDisposable
{
    private const long GiB = 1L << 30;
    private readonly TempDirectory _dir = new();
    private readonly NodeSettings _settings = new();
    private readonly SpoolPaths _paths;
    private readonly JobStore _jobs;
    private readonly Outbox _outbox;

    public HealthReporterTests()
    {
        _paths = new SpoolPaths(_dir.Path);
        _jobs = new JobStore(_paths, false);
        _outbox = new Outbox(_paths, new ExportOptions(), new FakeTimeProvider(), new NeverCalled(), false);
    }

    public void Dispose() => _dir.Dispose();

    private Task<HealthReport> Report(NodeStatus? live, long free = 50 * GiB, NodeMetrics? metrics = null) =>
        HealthReporter.BuildAsync(_settings, _paths, _jobs, _outbox, [], live, metrics, new DiskSpaceGuard(_dir.Path, _ => (free, 100 * GiB)), default);

    [Fact]
    public async Task Build_RunningNodeWithNothingWrong_IsHealthy()
    {
        var live = new NodeStatus();
        live.ListenerStarted("0.0.0.0:11112");
        live.ModelLoaded("diffugts-reference 0.1", "CPU");
        var report = await Report(live);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(("diffugts-reference 0.1", "CPU"), (report.Model, report.ExecutionProvider));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task Build_FailedJob_IsDegradedAndNamesSeriesStageAndReason()
    {
        await _jobs.SaveAsync(new JobRecord
        {
            Id = "abc",
            Series = new SeriesAttributes("1.2", "1.2.3", "CT", null, null, null, null, "S", "D"),
            Route = new RouteDecision("r", 0, "liver", null, ["PACS"]),
            State = JobState.Failed,
            FailedStage = "geometry",
            LastError = "missing slice",
        }, default);
        var report = await Report(null);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        var failure = Assert.Single(report.RecentFailures);
        Assert.Equal(("1.2.3", "geometry", "missing slice"), (failure.SeriesInstanceUid, failure.Stage, failure.Reason));
    }

    [Fact]
    public async Task Build_LowDiskOrListenerDown_IsUnhealthy()
    {
        Assert.Equal(HealthStatus.Unhealthy, (await Report(null, free: 1 * GiB)).Status);
        var live = new NodeStatus();
        live.ModelLoaded("m", "CPU");
        var report = await Report(live);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains(report.Problems, p => p.Contains("listener", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_WithMetrics_CarriesCountersAndLatenciesIntoTheJson()
    {
        var metrics = new NodeMetrics(new FakeTimeProvider());
        metrics.InstanceReceived();
        metrics.InstanceStored();
        metrics.SeriesReleased(TimeSpan.FromSeconds(30));
        var live = new NodeStatus();
        live.ListenerStarted("0.0.0.0:11112");

        var json = System.Text.Json.JsonSerializer.Serialize(await Report(live, metrics: metrics), HealthReport.JsonOptions);
        var read = System.Text.Json.JsonSerializer.Deserialize<HealthReport>(json, HealthReport.JsonOptions)!;
        Assert.Equal((1L, 1L, 0L, 1L), (read.Counters!.InstancesReceived, read.Counters.InstancesStored, read.Counters.InstancesRefused, read.Counters.SeriesReleased));
        Assert.Equal(new StageLatency("release", 1, 30, 30, 30), Assert.Single(read.Latencies));
        Assert.Contains("\"Status\": \"Healthy\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithoutRunningNode_HasNoCounters()
    {
        var report = await Report(null);
        Assert.Null(report.Counters);
        Assert.Empty(report.Latencies);
    }

    private sealed class NeverCalled : IResultSender
    {
        public Task<DeliveryFailure?> SendAsync(PeerOptions peer, IReadOnlyList<string> files, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not expected");
    }
}
