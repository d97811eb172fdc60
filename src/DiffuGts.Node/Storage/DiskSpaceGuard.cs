using DiffuGts.Node.Options;

namespace DiffuGts.Node.Storage;

/// <summary>
/// Refuses work before the disk fills (issue 7 §2): new associations are refused below the watermark, and a C-STORE
/// that would eat into the reserved bytes is answered out-of-resources. A pure decision over a free-space reading, so it
/// is table-tested; <see cref="Read"/> takes the reading from the spool's volume.
/// </summary>
public sealed class DiskSpaceGuard
{
    private readonly string _path;
    private readonly Func<string, (long Free, long Total)> _probe;

    public DiskSpaceGuard(string path, Func<string, (long Free, long Total)>? probe = null)
    {
        _path = path;
        _probe = probe ?? Probe;
    }

    public (long Free, long Total) Read() => _probe(_path);

    /// <summary>True when new associations may be accepted: free space at or above the watermark and the reserve.</summary>
    public static bool AcceptsAssociations(long free, long total, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (total <= 0)
        {
            return false;
        }

        return free * 100.0 / total >= options.LowDiskWatermarkPercent && free > options.ReservedBytes;
    }

    /// <summary>True when a data set of <paramref name="incomingBytes"/> fits without eating into the reserved bytes.</summary>
    public static bool AcceptsInstance(long free, long incomingBytes, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return free - Math.Max(0, incomingBytes) > options.ReservedBytes;
    }

    public bool AcceptsAssociations(StorageOptions options)
    {
        var (free, total) = Read();
        return AcceptsAssociations(free, total, options);
    }

    private static (long Free, long Total) Probe(string path)
    {
        Directory.CreateDirectory(path);
        var drive = new DriveInfo(Path.GetFullPath(path));
        return (drive.AvailableFreeSpace, drive.TotalSize);
    }
}
