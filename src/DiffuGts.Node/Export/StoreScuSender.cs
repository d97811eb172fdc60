using System.Net.Sockets;
using System.Security.Authentication;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Node.Options;

namespace DiffuGts.Node.Export;

/// <summary>
/// Delivers result files with the C-STORE SCU, all in one association, and maps what happened to a
/// <see cref="DeliveryFailure"/> that <see cref="RetryClassifier"/> understands. A partial send is a failure: the whole
/// set is sent again, which PACS treats as a re-send of the same SOP instances (idempotent).
/// </summary>
public sealed class StoreScuSender(string callingAeTitle) : IResultSender
{
    public async Task<DeliveryFailure?> SendAsync(PeerOptions peer, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(files);
        List<StoreInstance> instances;
        try
        {
            instances = [.. files.Select(StoreInstance.FromFile)];
        }
        catch (Exception e) when (e is IOException or DicomFormatException)
        {
            return new DeliveryFailure(DeliveryFailureKind.DimseStatus, $"a result file cannot be read: {e.Message}");
        }

        var scu = new StoreScu(new DicomClientOptions
        {
            Host = peer.Host,
            Port = peer.Port,
            CalledAeTitle = peer.AeTitle,
            CallingAeTitle = callingAeTitle,
            UseTls = peer.UseTls,
        });
        StoreReport report;
        try
        {
            report = await scu.SendAsync(instances, null, cancellationToken);
        }
        catch (AssociationRejectedException e)
        {
            return new DeliveryFailure(e.IsTransient ? DeliveryFailureKind.AssociationRejectedTransient : DeliveryFailureKind.AssociationRejectedPermanent, e.Message);
        }
        catch (AssociationAbortedException e)
        {
            return new DeliveryFailure(DeliveryFailureKind.Aborted, e.Message);
        }
        catch (AuthenticationException e)
        {
            return new DeliveryFailure(DeliveryFailureKind.TlsFailed, e.Message);
        }
        catch (DicomConnectionException e)
        {
            return new DeliveryFailure(e.InnerException is TimeoutException ? DeliveryFailureKind.Timeout : DeliveryFailureKind.ConnectionFailed, e.Message);
        }
        catch (SocketException e)
        {
            return new DeliveryFailure(DeliveryFailureKind.ConnectionFailed, e.Message);
        }

        if (report.AllStored)
        {
            return null;
        }

        if (report.AssociationFailure is { } cut)
        {
            return new DeliveryFailure(DeliveryFailureKind.Aborted, $"association ended after {report.StoredCount} of {files.Count}: {cut.Message}");
        }

        // The first failing instance decides: a status failure carries its code; a missing context is permanent.
        var first = report.Results.First(r => !r.IsStored);
        return first.Outcome switch
        {
            StoreOutcome.NoPresentationContext => new DeliveryFailure(DeliveryFailureKind.NoAcceptedContext, $"{first.SopInstanceUid}: {first.Error}"),
            StoreOutcome.NotSent => new DeliveryFailure(DeliveryFailureKind.Aborted, $"{first.SopInstanceUid}: {first.Error}"),
            _ => new DeliveryFailure(DeliveryFailureKind.DimseStatus, $"{first.SopInstanceUid}: {first.Error ?? first.Status?.ToString()}", first.Status?.Code),
        };
    }
}
