namespace DiffuGts.Dicom.Network.Client;

/// <summary>
/// A whole send: one result per input, and the association failure that cut it short, if any. Failures to connect or
/// to associate are thrown instead (<see cref="DicomConnectionException"/>, <see cref="AssociationRejectedException"/>),
/// since then nothing was attempted.
/// </summary>
public sealed record StoreReport(IReadOnlyList<InstanceStoreResult> Results, Exception? AssociationFailure)
{
    public int StoredCount => Results.Count(r => r.IsStored);

    public bool AllStored => AssociationFailure is null && Results.All(r => r.IsStored);
}
