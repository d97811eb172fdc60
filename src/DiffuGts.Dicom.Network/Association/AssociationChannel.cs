using System.IO.Pipelines;
using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Association;

/// <summary>
/// The transport of one association: a (possibly TLS) stream read through a pipe, PDU writes, and reads bounded by a
/// timer from the injected <see cref="TimeProvider"/> (ARTIM and idle timeouts, PS3.8 §9.1.5), so tests advance fake
/// time instead of sleeping.
/// </summary>
internal sealed class AssociationChannel : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _pipe;
    private readonly TimeProvider _time;

    public AssociationChannel(Stream stream, uint ourMaxPduLength, TimeProvider time)
    {
        _stream = stream;
        _time = time;
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 4096, leaveOpen: true));
        Reader = new PduReader(_pipe, ourMaxPduLength);
    }

    public Stream Output => _stream;

    public PduReader Reader { get; }

    /// <summary>Next PDU, or null on a clean close. A timeout raises <see cref="TimeoutException"/>.</summary>
    public async ValueTask<ReceivedPdu?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return await Reader.ReadAsync(cancellationToken);
        }

        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete PDU within {timeout}");
        }
    }

    public ValueTask SendAsync(IPdu pdu, CancellationToken cancellationToken) => PduEncoder.WriteAsync(_stream, pdu, cancellationToken);

    /// <summary>
    /// Sta13: the association is over; ignore PDUs (AA-6) until the peer closes (AR-5/AA-5) or ARTIM expires (AA-2).
    /// </summary>
    public async Task AwaitCloseAsync(TimeSpan artim, CancellationToken cancellationToken)
    {
        try
        {
            while (await ReadAsync(artim, cancellationToken) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or DicomProtocolException or OperationCanceledException)
        {
            // Either way the transport is closed next.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
