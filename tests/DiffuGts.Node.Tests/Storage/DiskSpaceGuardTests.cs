using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using Xunit;

namespace DiffuGts.Node.Tests.Storage;

public sealed class DiskSpaceGuardTests
{
    private const long GiB = 1L << 30;
    private static readonly StorageOptions Options = new() { LowDiskWatermarkPercent = 5, ReservedBytes = 1 * GiB };

    [Theory]
    [InlineData(50 * GiB, 100 * GiB, true)]
    [InlineData(5 * GiB, 100 * GiB, true)]    // exactly at the watermark
    [InlineData(4 * GiB, 100 * GiB, false)]   // below the watermark
    [InlineData(1 * GiB, 10 * GiB, false)]    // 10 % free but only the reserve left
    [InlineData(0, 0, false)]                 // no reading: refuse rather than guess
    public void AcceptsAssociations_FreeSpace_FollowsWatermarkAndReserve(long free, long total, bool expected)
    {
        Assert.Equal(expected, DiskSpaceGuard.AcceptsAssociations(free, total, Options));
    }

    [Theory]
    [InlineData(3 * GiB, 1 * GiB, true)]
    [InlineData(3 * GiB, 2 * GiB + 1, false)]  // would eat into the reserve: out of resources
    public void AcceptsInstance_Size_KeepsTheReserve(long free, long incoming, bool expected)
    {
        Assert.Equal(expected, DiskSpaceGuard.AcceptsInstance(free, incoming, Options));
    }

    [Fact]
    public void AcceptsAssociations_ProbedVolume_UsesTheReading()
    {
        var guard = new DiskSpaceGuard("/spool", _ => (2 * GiB, 100 * GiB));
        Assert.False(guard.AcceptsAssociations(Options));
    }
}
