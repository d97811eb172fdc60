using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>C-ECHO SCU (PS3.4 Annex A): associate with Verification, echo once, release.</summary>
public static class EchoScu
{
    /// <exception cref="DicomConnectionException">No connection.</exception>
    /// <exception cref="AssociationRejectedException">The peer rejected the association.</exception>
    public static async Task<DimseStatus> EchoAsync(DicomClientOptions options, CancellationToken cancellationToken)
    {
        PresentationContextRequest[] contexts =
        [
            new(1, SopClassUids.Verification, [TransferSyntaxUids.ImplicitVrLittleEndian, TransferSyntaxUids.ExplicitVrLittleEndian]),
        ];
        await using var association = await DicomClientAssociation.OpenAsync(options, contexts, timeProvider: null, cancellationToken);
        var status = await association.EchoAsync(cancellationToken);
        await association.ReleaseAsync(cancellationToken);
        return status;
    }
}
