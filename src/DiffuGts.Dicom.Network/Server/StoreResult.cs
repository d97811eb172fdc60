using DiffuGts.Dicom.Network.Dimse;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>What a store handler answers; becomes the C-STORE-RSP status (PS3.4 §B.2.3).</summary>
public sealed record StoreResult(DimseStatus Status, string? ErrorComment = null)
{
    public static StoreResult Success { get; } = new(DimseStatus.Success);
}
