using System.Buffers;
using System.IO.Pipelines;
using DiffuGts.Dicom.Network.Dimse;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>
/// One C-STORE data set in flight: dataset PDVs are copied into a bounded pipe whose reading end is the handler's
/// stream. Awaiting the pipe's flush is the back-pressure: while the handler (disk) is behind, the association stops
/// reading the socket. A data set that the handler will not see (unsupported class, size limit) is counted and dropped.
/// </summary>
internal sealed class IncomingDataSet
{
    private const long PauseWriterThreshold = 1024 * 1024;

    /// <summary>
    /// Pipe segment size. A handler that copies the stream (<c>CopyToAsync</c>) gets one write per segment; the default
    /// 4 KiB segments made 130 file writes (and thread-pool hops) per 512 KiB instance, 128 KiB segments make about 5.
    /// </summary>
    private const int SegmentSize = 128 * 1024;

    private readonly Pipe? _pipe;
    private readonly Task<StoreResult>? _handlerTask;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private bool _writerDone;
    private StoreResult? _forced;

    public IncomingDataSet(DimseCommand command, byte contextId, StoreResult? forced, long maxBytes, ILogger logger,
        Func<Stream, Task<StoreResult>>? handler)
    {
        Command = command;
        ContextId = contextId;
        _forced = forced;
        _maxBytes = maxBytes;
        _logger = logger;
        if (forced is null && handler is not null)
        {
            _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseWriterThreshold, resumeWriterThreshold: PauseWriterThreshold / 2,
                minimumSegmentSize: SegmentSize, useSynchronizationContext: false));
            var reader = _pipe.Reader;
            _handlerTask = Task.Run(async () =>
            {
                await using var stream = reader.AsStream();
                return await handler(stream);
            });
        }
        else
        {
            _writerDone = true;
        }
    }

    public DimseCommand Command { get; }

    public byte ContextId { get; }

    public long Bytes { get; private set; }

    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        Bytes += data.Length;
        if (_writerDone || _pipe is null)
        {
            return;
        }

        if (Bytes > _maxBytes)
        {
            _forced = new StoreResult(DimseStatus.OutOfResources, $"data set exceeds the limit of {_maxBytes} bytes");
            _writerDone = true;
            await _pipe.Writer.CompleteAsync(new IOException(_forced.ErrorComment));
            return;
        }

        foreach (var segment in data)
        {
            _pipe.Writer.Write(segment.Span);
        }

        var flush = await _pipe.Writer.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
        {
            _writerDone = true; // The handler stopped reading early; the rest is dropped.
        }
    }

    /// <summary>The last fragment arrived: let the handler finish, then decide the status.</summary>
    public async Task<StoreResult> CompleteAsync(long associationId)
    {
        if (_pipe is not null && !_writerDone)
        {
            _writerDone = true;
            await _pipe.Writer.CompleteAsync();
        }

        StoreResult? handled = null;
        if (_handlerTask is not null)
        {
            try
            {
                handled = await _handlerTask;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HandlerFailed(_logger, ex, associationId, Command.AffectedSopInstanceUid);
                handled = ex is IOException
                    ? new StoreResult(DimseStatus.OutOfResources, ex.Message)
                    : new StoreResult(DimseStatus.ProcessingFailure, ex.Message);
            }
        }

        return _forced ?? handled ?? new StoreResult(DimseStatus.ProcessingFailure, "no handler");
    }

    /// <summary>The association ended mid data set: the handler sees an exception, so it must not commit the instance.</summary>
    public async Task FailAsync(string reason)
    {
        if (_pipe is not null && !_writerDone)
        {
            _writerDone = true;
            await _pipe.Writer.CompleteAsync(new IOException(reason));
        }

        if (_handlerTask is not null)
        {
            try
            {
                await _handlerTask;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Expected: the handler was told the data set is incomplete.
            }
        }
    }
}
