namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// User Identity Negotiation sub-item of the RQ (0x58, PS3.7 Annex D.3.3.7.1): type, positive-response-requested,
/// primary field (2-byte length) and secondary field (2-byte length; passcode for type 2, otherwise empty).
/// </summary>
public sealed record UserIdentityRequest(
    UserIdentityType IdentityType, bool PositiveResponseRequested, ReadOnlyMemory<byte> PrimaryField, ReadOnlyMemory<byte> SecondaryField)
{
    internal int ItemLength => 2 + 2 + PrimaryField.Length + 2 + SecondaryField.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.UserIdentityRequest, ItemLength);
        writer.Byte((byte)IdentityType);
        writer.Byte(PositiveResponseRequested ? (byte)1 : (byte)0);
        writer.UInt16((ushort)PrimaryField.Length);
        writer.Bytes(PrimaryField.Span);
        writer.UInt16((ushort)SecondaryField.Length);
        writer.Bytes(SecondaryField.Span);
    }

    internal static UserIdentityRequest Read(ReadOnlySpan<byte> value)
    {
        var reader = new PduSpanReader(value, "user identity sub-item");
        var type = (UserIdentityType)reader.Byte();
        var positive = reader.Byte() != 0;
        var primary = reader.Bytes(reader.UInt16()).ToArray();
        var secondary = reader.Remaining >= 2 ? reader.Bytes(reader.UInt16()).ToArray() : [];
        return new UserIdentityRequest(type, positive, primary, secondary);
    }
}
