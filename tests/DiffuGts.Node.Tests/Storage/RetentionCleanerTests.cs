using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Storage;

public sealed class RetentionCleanerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private static SeriesRecord Series(string uid, DateTimeOffset last) => new()
    {
        Attributes = new SeriesAttributes("1.2", uid, "CT", null, null, null, null, "SCANNER", "DIFFUGTS"),
        State = SeriesState.Released,
        LastReceived = last,
    };

    private static JobRecord Job(SeriesRecord s, JobState state, DateTimeOffset updated) => new()
    {
        Id = JobId.For("DIFFUGTS", "1.2", s.Attributes.SeriesInstanceUid, "r", 1),
        Series = s.Attributes,
        Route = new RouteDecision("r", 0, "liver", null, ["PACS"]),
        State = state,
        Updated = updated,
    };

    [Fact]
    public void Clean_OldExportedSeries_IsRemovedButPendingAndRecentOnesStay()
    {
        using var dir = new TempDirectory();
        var paths = new SpoolPaths(dir.Path);
        var old = Series("1.2.1", Now.AddDays(-10));
        var pending = Series("1.2.2", Now.AddDays(-10));
        var recent = Series("1.2.3", Now.AddDays(-1));
        var unrouted = Series("1.2.4", Now.AddDays(-10));
        foreach (var s in new[] { old, pending, recent, unrouted })
        {
            Directory.CreateDirectory(paths.SeriesFolder("1.2", s.Attributes.SeriesInstanceUid));
            File.WriteAllBytes(Path.Combine(paths.SeriesFolder("1.2", s.Attributes.SeriesInstanceUid), "a.dcm"), new byte[100]);
        }

        var jobs = new[]
        {
            Job(old, JobState.Exported, Now.AddDays(-9)),
            Job(pending, JobState.ResultsReady, Now.AddDays(-9)), // still waiting for PACS: never removed
            Job(recent, JobState.Exported, Now.AddDays(-1)),
        };
        var outcome = new RetentionCleaner(paths, new FakeTimeProvider(Now)).Clean([old, pending, recent, unrouted], jobs, retentionDays: 7);

        Assert.Equal(2, outcome.SeriesRemoved); // the exported one and the unrouted one
        Assert.Equal(200, outcome.BytesFreed);
        Assert.False(Directory.Exists(paths.SeriesFolder("1.2", "1.2.1")));
        Assert.False(Directory.Exists(paths.SeriesFolder("1.2", "1.2.4")));
        Assert.True(Directory.Exists(paths.SeriesFolder("1.2", "1.2.2")));
        Assert.True(Directory.Exists(paths.SeriesFolder("1.2", "1.2.3")));
    }
}
