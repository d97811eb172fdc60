using DiffuGts.Dicom.Network.Dimse;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>The result for one instance: outcome, DIMSE status when there was a response, and an explanation.</summary>
public sealed record InstanceStoreResult(string Path, string? SopInstanceUid, StoreOutcome Outcome, DimseStatus? Status, string? Error)
{
    public bool IsStored => Outcome is StoreOutcome.Stored or StoreOutcome.StoredWithWarning;
}
