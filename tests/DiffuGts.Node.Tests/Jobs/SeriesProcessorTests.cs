using DiffuGts.Node.Assembly;
using DiffuGts.Node.Export;
using DiffuGts.Node.Health;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Jobs;

public sealed class SeriesProcessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly NodeSettings _settings = new();
    private readonly SpoolPaths _paths;
    private readonly FakeSender _sender = new();
    private readonly NodeMetrics _metrics;

    public SeriesProcessorTests()
    {
        _paths = new SpoolPaths(_dir.Path);
        _metrics = new NodeMetrics(_time);
        _settings.Peers["PACS"] = new PeerOptions { AeTitle = "ORTHANC", Host = "127.0.0.1", Port = 4242 };
        _settings.Prompts["liver"] = [new PromptOptions { Label = "Liver lesion", Text = "liver tumor" }];
        var rule = new RouteRuleOptions { Name = "ct", PromptSet = "liver" };
        rule.Modality.Add("CT");
        rule.Destinations.Add("PACS");
        _settings.Routing.Rules.Add(rule);
    }

    public void Dispose() => _dir.Dispose();

    private SeriesProcessor Create(ISeriesSegmenter segmenter) =>
        new(new JobStore(_paths, false), new InstanceSpool(_paths, false),
            new Outbox(_paths, _settings.Export, _time, _sender, false, () => 1.0), segmenter, () => _settings, _time,
            _metrics, NullLogger<SeriesProcessor>.Instance);

    private static SeriesRecord Released(string modality = "CT", string series = "1.2.3.4", int release = 1, DateTimeOffset lastReceived = default) => new()
    {
        LastReceived = lastReceived,
        Attributes = new SeriesAttributes("1.2.3", series, modality, "ABDOMEN", null, null, null, "SCANNER", "DIFFUGTS"),
        State = SeriesState.Released,
        InstanceCount = 3,
        ReleaseCount = release,
    };

    [Fact]
    public async Task RouteRunExport_RoutedSeries_EndsExportedWithOneDelivery()
    {
        var processor = Create(new FakeSegmenter());
        var job = Assert.Single(await processor.RouteAsync(Released(), default));
        job = await processor.RunAsync(job, default);
        Assert.Equal(JobState.ResultsReady, job.State);

        await processor.ExportDueAsync(default);
        var stored = await new JobStore(_paths, false).FindAsync(job.Id, default);
        Assert.Equal(JobState.Exported, stored!.State);
        Assert.Equal(1, _sender.Calls);
        Assert.Equal(job.ResultFiles, _sender.LastFiles);
    }

    [Fact]
    public async Task Route_UnroutedModality_MakesNoJob()
    {
        Assert.Empty(await Create(new FakeSegmenter()).RouteAsync(Released(modality: "MR"), default));
        Assert.Empty(await new JobStore(_paths, false).ListAsync(default));
    }

    [Fact]
    public async Task Route_SameReleaseTwice_IsOneJob_NewReleaseIsAnother()
    {
        var processor = Create(new FakeSegmenter());
        var a = Assert.Single(await processor.RouteAsync(Released(), default));
        var b = Assert.Single(await processor.RouteAsync(Released(), default));
        var c = Assert.Single(await processor.RouteAsync(Released(release: 2), default));
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.Equal(2, (await new JobStore(_paths, false).ListAsync(default)).Count);
    }

    [Fact]
    public async Task Run_BrokenGeometry_FailsThatJobWithStageAndOthersSucceed()
    {
        var processor = Create(new FakeSegmenter(failSeries: "1.2.3.4"));
        var bad = await processor.RunAsync(Assert.Single(await processor.RouteAsync(Released(series: "1.2.3.4"), default)), default);
        var good = await processor.RunAsync(Assert.Single(await processor.RouteAsync(Released(series: "1.2.3.5"), default)), default);
        Assert.Equal((JobState.Failed, "geometry"), (bad.State, bad.FailedStage));
        Assert.Contains("missing slice", bad.LastError, StringComparison.Ordinal);
        Assert.Equal(JobState.ResultsReady, good.State);
    }

    [Fact]
    public async Task Recover_JobRunningAtCrash_IsQueuedAgainAndFinishes()
    {
        var store = new JobStore(_paths, false);
        var processor = Create(new FakeSegmenter());
        var job = Assert.Single(await processor.RouteAsync(Released(), default));
        await store.SaveAsync(job with { State = JobState.Running, Attempts = 1 }, default); // the node died here

        var resumed = Assert.Single(await store.RecoverAsync(default));
        Assert.Equal((JobState.Queued, 1), (resumed.State, resumed.Attempts));
        var done = await processor.RunAsync(resumed, default);
        Assert.Equal((JobState.ResultsReady, 2), (done.State, done.Attempts));
    }

    [Fact]
    public async Task ExportDue_PermanentRejection_FailsJobWithExportStage()
    {
        _sender.Failure = new DeliveryFailure(DeliveryFailureKind.DimseStatus, "SOP class not supported", 0x0122);
        var processor = Create(new FakeSegmenter());
        var job = await processor.RunAsync(Assert.Single(await processor.RouteAsync(Released(), default)), default);
        await processor.ExportDueAsync(default);
        var stored = await new JobStore(_paths, false).FindAsync(job.Id, default);
        Assert.Equal((JobState.Failed, "export"), (stored!.State, stored.FailedStage));
        Assert.Contains("0x0122", stored.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_SeriesThroughEveryStage_CountsAndTimesEachStageOnTheNodeClock()
    {
        var lastInstance = _time.GetUtcNow();
        var processor = Create(new FakeSegmenter(work: (_time, TimeSpan.FromSeconds(7))));
        Assert.Empty(await processor.RouteAsync(Released(modality: "MR", series: "9.9"), default));

        _time.Advance(TimeSpan.FromSeconds(30)); // the idle timeout
        var job = Assert.Single(await processor.RouteAsync(Released(lastReceived: lastInstance), default));
        _time.Advance(TimeSpan.FromSeconds(2)); // waiting for a worker
        await processor.RunAsync(job, default);
        _time.Advance(TimeSpan.FromSeconds(1)); // the export tick
        await processor.ExportDueAsync(default);

        var counters = _metrics.Counters();
        Assert.Equal((2L, 1L, 1L), (counters.SeriesReleased, counters.SeriesRouted, counters.SeriesUnrouted));
        Assert.Equal((1L, 0L, 0L), (counters.DeliveriesOk, counters.DeliveriesFailed, counters.DeliveriesParked));
        var latencies = _metrics.Latencies().ToDictionary(l => l.Stage, l => l.LastSeconds);
        Assert.Equal(["release", "queue", "segment.inference", "segment", "deliver", "total"], _metrics.Latencies().Select(l => l.Stage));
        Assert.Equal(30, latencies["release"]);
        Assert.Equal(2, latencies["queue"]);
        Assert.Equal(1.5, latencies["segment.inference"]);
        Assert.Equal(7, latencies["segment"]);
        Assert.Equal(1, latencies["deliver"]);
        Assert.Equal(40, latencies["total"]);
    }

    [Fact]
    public async Task Metrics_TransientThenPermanentFailure_CountsFailedAttemptThenParked()
    {
        _sender.Failure = new DeliveryFailure(DeliveryFailureKind.ConnectionFailed, "refused");
        var processor = Create(new FakeSegmenter());
        await processor.RunAsync(Assert.Single(await processor.RouteAsync(Released(), default)), default);
        await processor.ExportDueAsync(default);
        _sender.Failure = new DeliveryFailure(DeliveryFailureKind.DimseStatus, "SOP class not supported", 0x0122);
        _time.Advance(_settings.Export.MaxDelay);
        await processor.ExportDueAsync(default);

        var counters = _metrics.Counters();
        Assert.Equal((0L, 1L, 1L), (counters.DeliveriesOk, counters.DeliveriesFailed, counters.DeliveriesParked));
        Assert.DoesNotContain(_metrics.Latencies(), l => l.Stage is "deliver" or "total");
    }

    private sealed class FakeSegmenter(string? failSeries = null, (FakeTimeProvider Clock, TimeSpan Duration)? work = null) : ISeriesSegmenter
    {
        public async Task<SeriesSegmentationResult> SegmentAsync(SeriesSegmentationRequest request, CancellationToken cancellationToken)
        {
            work?.Clock.Advance(work.Value.Duration);
            if (request.Job.Series.SeriesInstanceUid == failSeries)
            {
                throw new SegmentationException("geometry", "missing slice between z=10.0 and z=15.0 mm");
            }

            Directory.CreateDirectory(request.OutputDirectory);
            var seg = Path.Combine(request.OutputDirectory, "seg.dcm");
            await File.WriteAllBytesAsync(seg, [1, 2, 3], cancellationToken);
            return new SeriesSegmentationResult([seg], 1, new Dictionary<string, double> { ["inference"] = 1.5 });
        }
    }

    private sealed class FakeSender : IResultSender
    {
        public int Calls { get; private set; }

        public IReadOnlyList<string> LastFiles { get; private set; } = [];

        public DeliveryFailure? Failure { get; set; }

        public Task<DeliveryFailure?> SendAsync(PeerOptions peer, IReadOnlyList<string> files, CancellationToken cancellationToken)
        {
            Calls++;
            LastFiles = files;
            return Task.FromResult(Failure);
        }
    }
}
