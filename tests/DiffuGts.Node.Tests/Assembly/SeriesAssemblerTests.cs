using DiffuGts.Node.Assembly;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Assembly;

public sealed class SeriesAssemblerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly StorageOptions _options = new() { SeriesIdleTimeout = TimeSpan.FromSeconds(30), MaxSeriesAge = TimeSpan.FromMinutes(10), FlushToDisk = false };

    public void Dispose() => _dir.Dispose();

    private static SeriesAttributes Series(string series = "1.2.3.4", string ae = "DIFFUGTS") =>
        new("1.2.3", series, "CT", "ABDOMEN", null, null, null, "SCANNER", ae);

    private SeriesAssembler Create() => new(new SpoolPaths(_dir.Path), _options, _time);

    [Fact]
    public async Task ReleaseDue_QuietForIdleTimeout_ReleasesOnce()
    {
        using var assembler = Create();
        await assembler.InstanceStoredAsync(Series(), default);
        _time.Advance(TimeSpan.FromSeconds(20));
        await assembler.InstanceStoredAsync(Series(), default);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await assembler.ReleaseDueAsync(default)); // 29 s since the last instance, not since the first
        _time.Advance(TimeSpan.FromSeconds(1));
        var released = Assert.Single(await assembler.ReleaseDueAsync(default));
        Assert.Equal(2, released.InstanceCount);
        Assert.Equal(SeriesState.Released, released.State);
        Assert.Empty(await assembler.ReleaseDueAsync(default));
    }

    [Fact]
    public async Task ReleaseDue_SenderThatNeverStops_IsReleasedAtMaxAge()
    {
        using var assembler = Create();
        for (var i = 0; i < 70; i++)
        {
            await assembler.InstanceStoredAsync(Series(), default);
            _time.Advance(TimeSpan.FromSeconds(10));
            if (i < 59)
            {
                Assert.Empty(await assembler.ReleaseDueAsync(default));
            }
        }

        Assert.Single(await assembler.ReleaseDueAsync(default));
    }

    [Fact]
    public async Task InstanceStored_SameSeriesOnTwoCalledAes_AreTwoSeries()
    {
        using var assembler = Create();
        await assembler.InstanceStoredAsync(Series(ae: "AE_ONE"), default);
        await assembler.InstanceStoredAsync(Series(ae: "AE_TWO"), default);
        Assert.Equal(2, assembler.Snapshot().Count);
    }

    [Fact]
    public async Task InstanceStored_AfterReleaseWithRerun_ReleasesAgain()
    {
        using var assembler = Create();
        await assembler.InstanceStoredAsync(Series(), default);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await assembler.ReleaseDueAsync(default));

        Assert.Equal(SeriesAssembler.Arrival.LateRerun, await assembler.InstanceStoredAsync(Series(), default));
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = Assert.Single(await assembler.ReleaseDueAsync(default));
        Assert.Equal((2, 2), (again.ReleaseCount, again.InstanceCount));
    }

    [Fact]
    public async Task InstanceStored_AfterReleaseWithAttach_IsCountedButNotReleasedAgain()
    {
        _options.LateInstancePolicy = LateInstancePolicy.Attach;
        using var assembler = Create();
        await assembler.InstanceStoredAsync(Series(), default);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await assembler.ReleaseDueAsync(default));

        Assert.Equal(SeriesAssembler.Arrival.LateAttached, await assembler.InstanceStoredAsync(Series(), default));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await assembler.ReleaseDueAsync(default));
        Assert.Equal(2, Assert.Single(assembler.Snapshot()).InstanceCount);
    }

    [Fact]
    public async Task Recover_AfterRestart_ReleasesReceivingSeriesOneIdleTimeoutLater()
    {
        using (var before = Create())
        {
            await before.InstanceStoredAsync(Series("1.2.3.4"), default);
            await before.InstanceStoredAsync(Series("1.2.3.5"), default);
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(2, (await before.ReleaseDueAsync(default)).Count);
            await before.InstanceStoredAsync(Series("1.2.3.6"), default);
        }

        _time.Advance(TimeSpan.FromHours(1));
        using var after = Create();
        Assert.Equal(3, await after.RecoverAsync(default));
        Assert.Empty(await after.ReleaseDueAsync(default)); // the quiet timer restarted at recovery
        _time.Advance(TimeSpan.FromSeconds(30));
        var released = Assert.Single(await after.ReleaseDueAsync(default));
        Assert.Equal("1.2.3.6", released.Attributes.SeriesInstanceUid);
    }

    [Fact]
    public async Task Recover_ReleasedButNotMarkedRouted_IsReleasedUnroutedUntilMarked()
    {
        using (var before = Create())
        {
            await before.InstanceStoredAsync(Series("1.2.3.4"), default);
            await before.InstanceStoredAsync(Series("1.2.3.5"), default);
            _time.Advance(TimeSpan.FromMinutes(1));
            var released = await before.ReleaseDueAsync(default);
            await before.RoutedAsync(released.Single(r => r.Attributes.SeriesInstanceUid == "1.2.3.4").Key, 1, default);
            // The node dies here: 1.2.3.5 is released, but its jobs were never written.
        }

        using var after = Create();
        await after.RecoverAsync(default);
        var unrouted = Assert.Single(after.ReleasedUnrouted());
        Assert.Equal("1.2.3.5", unrouted.Attributes.SeriesInstanceUid);
        await after.RoutedAsync(unrouted.Key, unrouted.ReleaseCount, default);

        using var again = Create();
        await again.RecoverAsync(default);
        Assert.Empty(again.ReleasedUnrouted());
    }

    [Fact]
    public async Task Recover_ReceivingSeries_CountsTheInstancesInTheSpool()
    {
        var paths = new SpoolPaths(_dir.Path);
        using (var before = Create())
        {
            for (var i = 0; i < 3; i++)
            {
                await before.InstanceStoredAsync(Series(), default);
                Directory.CreateDirectory(paths.SeriesFolder("1.2.3", "1.2.3.4"));
                await File.WriteAllBytesAsync(paths.InstanceFile("1.2.3", "1.2.3.4", $"1.2.3.4.{i}"), [0]);
            }
        }

        using var after = Create();
        await after.RecoverAsync(default);
        Assert.Equal(3, Assert.Single(after.Snapshot()).InstanceCount); // the record on disk was written at the first instance
    }
}
