using DiffuGts.Dicom.Network.Dimse;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>A C-STORE-RQ as seen by a handler: the command, the negotiated transfer syntax of the data set, and the association.</summary>
public sealed record StoreRequest(DimseCommand Command, string TransferSyntaxUid, AssociationInfo Association)
{
    public string SopClassUid => Command.AffectedSopClassUid ?? "";

    public string SopInstanceUid => Command.AffectedSopInstanceUid ?? "";
}
