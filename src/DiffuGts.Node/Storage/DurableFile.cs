using System.Runtime.InteropServices;

namespace DiffuGts.Node.Storage;

/// <summary>
/// Atomic, durable file replacement (ADR 0002): write to a temporary file in the same file system, flush it to stable
/// storage, rename it over the target, then flush the directory entry so the rename itself survives a power cut.
/// </summary>
public static partial class DurableFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically and durably.</summary>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, bool flushToDisk, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await FlushAsync(stream, flushToDisk, cancellationToken);
            }

            Commit(temporary, path, flushToDisk);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Flushes a stream's buffers and, when asked, the file's data to stable storage (fsync).</summary>
    public static async Task FlushAsync(FileStream stream, bool flushToDisk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.FlushAsync(cancellationToken);
        if (flushToDisk)
        {
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Renames a finished temporary file over <paramref name="destination"/> and flushes the directory entry.</summary>
    public static void Commit(string temporary, string destination, bool flushToDisk)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        File.Move(temporary, destination, overwrite: true);
        if (flushToDisk)
        {
            FlushDirectory(directory);
        }
    }

    /// <summary>fsync(2) of a directory on Linux and macOS; on Windows NTFS journals the rename (ADR 0002).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const int readOnly = 0;
        var fd = Open(directory, readOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
