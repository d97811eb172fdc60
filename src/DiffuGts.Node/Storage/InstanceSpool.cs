namespace DiffuGts.Node.Storage;

/// <summary>
/// Where received instances go (ADR 0002). <see cref="Begin"/> opens a partial file; the store handler streams the
/// data set into it and commits only when the whole instance arrived, and answers Success only after the commit.
/// </summary>
public sealed class InstanceSpool
{
    private readonly bool _flushToDisk;

    public InstanceSpool(SpoolPaths paths, bool flushToDisk)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths;
        _flushToDisk = flushToDisk;
        paths.EnsureCreated();
    }

    public SpoolPaths Paths { get; }

    public PendingInstance Begin() => new(Paths, _flushToDisk);

    /// <summary>Deletes partial files left by a crash: they were never acknowledged, so their senders will retry.</summary>
    public int DiscardUnacknowledged()
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(Paths.Temporary, "*.part"))
        {
            DurableFile.TryDelete(file);
            count++;
        }

        return count;
    }

    /// <summary>The acknowledged instance files of a series, in name order.</summary>
    public IReadOnlyList<string> InstanceFiles(string studyUid, string seriesUid)
    {
        var folder = Paths.SeriesFolder(studyUid, seriesUid);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "*.dcm").Order(StringComparer.Ordinal)] : [];
    }
}
