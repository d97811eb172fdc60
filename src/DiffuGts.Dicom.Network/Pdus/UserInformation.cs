namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// User Information item (0x50, PS3.8 §9.3.2.3 and PS3.7 Annex D.3.3). Maximum Length (0x51) and Implementation Class
/// UID (0x52) are mandatory (dicom-facts §6.8); the rest are optional. Sub-items are written in increasing type order.
/// </summary>
public sealed record UserInformation
{
    /// <summary>PS3.8 Annex D.1: the largest P-DATA-TF PDU-length this side will receive; 0 = no limit.</summary>
    public required uint MaxPduLength { get; init; }

    public required string ImplementationClassUid { get; init; }

    public string? ImplementationVersionName { get; init; }

    public AsyncOperationsWindow? AsyncOperations { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    /// <summary>RQ only (0x58).</summary>
    public UserIdentityRequest? UserIdentity { get; init; }

    /// <summary>AC only (0x59): the server response, sent only when the RQ asked for a positive response.</summary>
    public ReadOnlyMemory<byte>? UserIdentityResponse { get; init; }

    internal int ItemLength =>
        8
        + 4 + ImplementationClassUid.Length
        + (AsyncOperations is null ? 0 : 8)
        + RoleSelections.Sum(r => 4 + r.ItemLength)
        + (ImplementationVersionName is null ? 0 : 4 + ImplementationVersionName.Length)
        + (UserIdentity is null ? 0 : 4 + UserIdentity.ItemLength)
        + (UserIdentityResponse is { } response ? 4 + 2 + response.Length : 0);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.UserInformation, ItemLength);
        writer.ItemHeader(ItemType.MaximumLength, 4);
        writer.UInt32(MaxPduLength);
        writer.StringItem(ItemType.ImplementationClassUid, ImplementationClassUid);
        if (AsyncOperations is { } window)
        {
            writer.ItemHeader(ItemType.AsynchronousOperationsWindow, 4);
            writer.UInt16(window.MaxOperationsInvoked);
            writer.UInt16(window.MaxOperationsPerformed);
        }

        foreach (var role in RoleSelections)
        {
            role.Write(ref writer);
        }

        if (ImplementationVersionName is not null)
        {
            writer.StringItem(ItemType.ImplementationVersionName, ImplementationVersionName);
        }

        UserIdentity?.Write(ref writer);
        if (UserIdentityResponse is { } serverResponse)
        {
            writer.ItemHeader(ItemType.UserIdentityAccept, 2 + serverResponse.Length);
            writer.UInt16((ushort)serverResponse.Length);
            writer.Bytes(serverResponse.Span);
        }
    }

    internal static UserInformation Read(ReadOnlySpan<byte> value)
    {
        var reader = new PduSpanReader(value, "user information item");
        uint? maxLength = null;
        string? implementationClassUid = null;
        string? versionName = null;
        AsyncOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        UserIdentityRequest? identity = null;
        ReadOnlyMemory<byte>? identityResponse = null;
        while (reader.Remaining > 0)
        {
            var sub = reader.Item(out var type);
            var subReader = new PduSpanReader(sub, $"user information sub-item 0x{type:x2}");
            switch (type)
            {
                case ItemType.MaximumLength:
                    maxLength = subReader.UInt32();
                    break;
                case ItemType.ImplementationClassUid:
                    implementationClassUid = PduFormat.ReadUid(sub);
                    break;
                case ItemType.AsynchronousOperationsWindow:
                    window = new AsyncOperationsWindow(subReader.UInt16(), subReader.UInt16());
                    break;
                case ItemType.RoleSelection:
                    roles.Add(RoleSelection.Read(sub));
                    break;
                case ItemType.ImplementationVersionName:
                    versionName = PduFormat.ReadUid(sub);
                    break;
                case ItemType.UserIdentityRequest:
                    identity = UserIdentityRequest.Read(sub);
                    break;
                case ItemType.UserIdentityAccept:
                    identityResponse = subReader.Bytes(subReader.UInt16()).ToArray();
                    break;
                default:
                    break; // Extended negotiation (0x56, 0x57) and unknown sub-items are ignored: PS3.8 §9.3.1.
            }
        }

        // PS3.8 Annex D.1 makes Maximum Length mandatory; DCMTK and others always send it. A missing one is read as
        // "no limit" rather than refused, so that a lax peer can still store to us.
        return new UserInformation
        {
            MaxPduLength = maxLength ?? 0,
            ImplementationClassUid = implementationClassUid ?? "",
            ImplementationVersionName = versionName,
            AsyncOperations = window,
            RoleSelections = roles,
            UserIdentity = identity,
            UserIdentityResponse = identityResponse,
        };
    }
}
