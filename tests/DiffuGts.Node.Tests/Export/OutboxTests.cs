using DiffuGts.Node.Export;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Export;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly ExportOptions _options = new()
    {
        InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(5), MaxAttempts = 20, MaxAge = TimeSpan.FromDays(1),
        CircuitBreakerFailures = 100, CircuitBreakDuration = TimeSpan.FromMinutes(1),
    };

    private readonly Dictionary<string, PeerOptions> _peers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PACS"] = new PeerOptions { AeTitle = "ORTHANC", Host = "127.0.0.1", Port = 4242 },
    };

    public void Dispose() => _dir.Dispose();

    private Outbox Create(ScriptedSender sender) => new(new SpoolPaths(_dir.Path), _options, _time, sender, flushToDisk: false, jitter: () => 1.0);

    [Fact]
    public async Task RunDue_PacsDownThenUp_DeliversWithBackoffAndRecordsEveryAttempt()
    {
        var sender = new ScriptedSender(Down(), Down(), Down(), null);
        var outbox = Create(sender);
        await outbox.EnqueueAsync("job1", "PACS", ["seg.dcm"], default);

        var delays = new List<TimeSpan>();
        OutboxItem item;
        do
        {
            var changed = Assert.Single(await outbox.RunDueAsync(_peers, default));
            item = changed;
            if (item.State == OutboxState.Pending)
            {
                delays.Add(item.NextAttempt - _time.GetUtcNow());
                Assert.Empty(await outbox.RunDueAsync(_peers, default)); // not due yet
                _time.Advance(item.NextAttempt - _time.GetUtcNow());
            }
        }
        while (item.State == OutboxState.Pending);

        Assert.Equal(OutboxState.Delivered, item.State);
        Assert.Equal(4, item.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], delays);
        Assert.Equal([false, false, false, true], item.History.Select(h => h.Succeeded));
        Assert.Equal(4, sender.Calls);
    }

    [Fact]
    public async Task RunDue_PermanentStatus_ParksAtOnceWithReason()
    {
        var outbox = Create(new ScriptedSender(new DeliveryFailure(DeliveryFailureKind.DimseStatus, "data set does not match SOP class", 0xA900)));
        await outbox.EnqueueAsync("job1", "PACS", ["seg.dcm"], default);
        var item = Assert.Single(await outbox.RunDueAsync(_peers, default));
        Assert.Equal(OutboxState.Failed, item.State);
        Assert.Contains("permanent failure", item.LastError, StringComparison.Ordinal);
        Assert.Contains("0xA900", item.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDue_TransientUntilMaxAttempts_ParksWithCount()
    {
        _options.MaxAttempts = 3;
        var outbox = Create(new ScriptedSender(Down(), Down(), Down(), Down()));
        await outbox.EnqueueAsync("job1", "PACS", ["seg.dcm"], default);
        OutboxItem item;
        do
        {
            item = Assert.Single(await outbox.RunDueAsync(_peers, default));
            _time.Advance(TimeSpan.FromHours(1));
        }
        while (item.State == OutboxState.Pending);

        Assert.Equal(OutboxState.Failed, item.State);
        Assert.StartsWith("gave up after 3 attempts", item.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDue_CircuitOpen_WaitsWithoutSpendingAttempts()
    {
        _options.CircuitBreakerFailures = 2;
        var sender = new ScriptedSender(Down(), Down(), null, null);
        var outbox = Create(sender);
        await outbox.EnqueueAsync("job1", "PACS", ["a.dcm"], default);
        await outbox.EnqueueAsync("job2", "PACS", ["b.dcm"], default);

        Assert.Equal(2, (await outbox.RunDueAsync(_peers, default)).Count); // two failures open the circuit
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(await outbox.RunDueAsync(_peers, default));              // open: nobody is attempted
        Assert.Equal(2, sender.Calls);

        _time.Advance(TimeSpan.FromMinutes(1));
        var delivered = await outbox.RunDueAsync(_peers, default);
        Assert.All(delivered, i => Assert.Equal(OutboxState.Delivered, i.State));
        Assert.Equal(2, delivered.Count);
    }

    [Fact]
    public async Task RunDue_AfterRestart_ContinuesPendingItem()
    {
        await Create(new ScriptedSender(Down())).EnqueueAsync("job1", "PACS", ["seg.dcm"], default);
        await Create(new ScriptedSender(Down())).RunDueAsync(_peers, default);
        _time.Advance(TimeSpan.FromMinutes(1));

        var item = Assert.Single(await Create(new ScriptedSender((DeliveryFailure?)null)).RunDueAsync(_peers, default));
        Assert.Equal((OutboxState.Delivered, 2), (item.State, item.Attempts));
    }

    [Fact]
    public async Task Enqueue_SameJobTwice_KeepsOneItem()
    {
        var outbox = Create(new ScriptedSender());
        await outbox.EnqueueAsync("job1", "PACS", ["seg.dcm"], default);
        await outbox.EnqueueAsync("job1", "PACS", ["seg.dcm"], default);
        Assert.Single(await outbox.ListAsync(default));
    }

    private static DeliveryFailure Down() => new(DeliveryFailureKind.ConnectionFailed, "connection refused");

    private sealed class ScriptedSender(params DeliveryFailure?[] script) : IResultSender
    {
        public int Calls { get; private set; }

        public Task<DeliveryFailure?> SendAsync(PeerOptions peer, IReadOnlyList<string> files, CancellationToken cancellationToken)
        {
            var result = Calls < script.Length ? script[Calls] : null;
            Calls++;
            return Task.FromResult(result);
        }
    }
}
