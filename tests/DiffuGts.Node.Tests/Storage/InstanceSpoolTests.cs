using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Storage;

public sealed class InstanceSpoolTests
{
    [Fact]
    public async Task Commit_WrittenInstance_IsInPlaceAndTmpIsEmpty()
    {
        using var dir = new TempDirectory();
        var spool = new InstanceSpool(new SpoolPaths(dir.Path), flushToDisk: true);
        string path;
        await using (var pending = spool.Begin())
        {
            await pending.Content.WriteAsync(new byte[] { 1, 2, 3, 4 });
            path = await pending.CommitAsync("1.2.3", "1.2.3.4", "1.2.3.4.5", CancellationToken.None);
        }

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, await File.ReadAllBytesAsync(path));
        Assert.Equal(Path.Combine(dir.Path, "instances", "1.2.3", "1.2.3.4", "1.2.3.4.5.dcm"), path);
        Assert.Empty(Directory.EnumerateFiles(spool.Paths.Temporary));
        Assert.Equal([path], spool.InstanceFiles("1.2.3", "1.2.3.4"));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNoInstance()
    {
        using var dir = new TempDirectory();
        var spool = new InstanceSpool(new SpoolPaths(dir.Path), flushToDisk: false);
        await using (var pending = spool.Begin())
        {
            await pending.Content.WriteAsync(new byte[] { 9 });
        }

        Assert.Empty(Directory.EnumerateFiles(spool.Paths.Temporary));
        Assert.Empty(Directory.EnumerateFiles(spool.Paths.Instances, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void DiscardUnacknowledged_PartialFilesFromACrash_AreDeleted()
    {
        using var dir = new TempDirectory();
        var paths = new SpoolPaths(dir.Path);
        paths.EnsureCreated();
        File.WriteAllBytes(Path.Combine(paths.Temporary, "dead.part"), [1, 2]);
        var spool = new InstanceSpool(paths, flushToDisk: false);
        Assert.Equal(1, spool.DiscardUnacknowledged());
        Assert.Empty(Directory.EnumerateFiles(paths.Temporary));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("1.2/3")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("1.2.840.10008.1234567890123456789012345678901234567890123456789012345")]
    public async Task Commit_HostileUid_IsRefusedAndNothingEscapesTheSpool(string uid)
    {
        using var dir = new TempDirectory();
        var spool = new InstanceSpool(new SpoolPaths(Path.Combine(dir.Path, "spool")), flushToDisk: false);
        await using var pending = spool.Begin();
        await Assert.ThrowsAsync<ArgumentException>(() => pending.CommitAsync("1.2.3", "1.2.3.4", uid, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.dcm", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Commit_SameSopInstanceTwice_ReplacesAtomically()
    {
        using var dir = new TempDirectory();
        var spool = new InstanceSpool(new SpoolPaths(dir.Path), flushToDisk: true);
        foreach (var b in new byte[] { 1, 2 })
        {
            await using var pending = spool.Begin();
            await pending.Content.WriteAsync(new[] { b });
            await pending.CommitAsync("1.2", "1.2.3", "1.2.3.4", CancellationToken.None);
        }

        Assert.Equal(new byte[] { 2 }, await File.ReadAllBytesAsync(Assert.Single(spool.InstanceFiles("1.2", "1.2.3"))));
    }
}
