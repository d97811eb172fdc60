namespace DiffuGts.Dicom.Network.Server;

/// <summary>
/// Receives each C-STORE data set as a stream while it arrives (no whole-instance buffering): the bytes after the
/// command, in the negotiated transfer syntax, without a Part 10 header. The C-STORE-RSP is sent only after this
/// returns, so an implementation returns Success only once the instance is durable (STYLE §4). Reading stops the
/// socket when the handler is slower than the network (back-pressure through a bounded pipe).
/// </summary>
public interface IStoreHandler
{
    ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken);
}
