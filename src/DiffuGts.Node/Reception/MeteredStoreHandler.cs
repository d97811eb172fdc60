using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Health;

namespace DiffuGts.Node.Reception;

/// <summary>
/// Counts what the node's store handler does with each C-STORE data set: received, stored (Success or Warning, PS3.4
/// B.2.3) or refused (any failure status). A data set cut off by an abort counts as received only.
/// </summary>
internal sealed class MeteredStoreHandler(IStoreHandler inner, NodeMetrics metrics) : IStoreHandler
{
    public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        metrics.InstanceReceived();
        var result = await inner.StoreAsync(request, dataSet, cancellationToken);
        if (result.Status.IsStored)
        {
            metrics.InstanceStored();
        }
        else
        {
            metrics.InstanceRefused();
        }

        return result;
    }
}
