using DiffuGts.Node.Options;

namespace DiffuGts.Node.Export;

/// <summary>
/// Sends files to a peer in one association (the C-STORE SCU). Returns null when every instance was stored (success
/// or warning status), else the failure that decides between retry and parking.
/// </summary>
public interface IResultSender
{
    Task<DeliveryFailure?> SendAsync(PeerOptions peer, IReadOnlyList<string> files, CancellationToken cancellationToken);
}
