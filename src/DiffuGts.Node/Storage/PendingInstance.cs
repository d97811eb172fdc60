namespace DiffuGts.Node.Storage;

/// <summary>
/// An instance being received: its bytes go to <see cref="Content"/> (a file in the spool's tmp folder) while they
/// arrive. <see cref="CommitAsync"/> makes it durable and moves it into place; disposing an uncommitted instance deletes
/// the partial file. Nothing counts as received until the commit returned.
/// </summary>
public sealed class PendingInstance : IAsyncDisposable
{
    private readonly SpoolPaths _paths;
    private readonly bool _flushToDisk;
    private readonly FileStream _stream;
    private bool _committed;

    internal PendingInstance(SpoolPaths paths, bool flushToDisk)
    {
        _paths = paths;
        _flushToDisk = flushToDisk;
        TemporaryPath = Path.Combine(paths.Temporary, $"{Guid.NewGuid():N}.part");
        _stream = new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 81920, FileOptions.Asynchronous);
    }

    public string TemporaryPath { get; }

    public Stream Content => _stream;

    /// <summary>Flushes the file to stable storage, renames it to its place under instances/ and flushes the folder.</summary>
    public async Task<string> CommitAsync(string studyUid, string seriesUid, string sopInstanceUid, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var destination = _paths.InstanceFile(studyUid, seriesUid, sopInstanceUid);
        await DurableFile.FlushAsync(_stream, _flushToDisk, cancellationToken);
        await _stream.DisposeAsync();
        DurableFile.Commit(TemporaryPath, destination, _flushToDisk);
        _committed = true;
        return destination;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (!_committed)
        {
            DurableFile.TryDelete(TemporaryPath);
        }
    }
}
