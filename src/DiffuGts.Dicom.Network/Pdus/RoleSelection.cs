namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// SCP/SCU Role Selection sub-item (0x54, PS3.7 Annex D.3.3.4): UID length, SOP class UID, then the SCU-role byte and
/// the SCP-role byte, in that order (dicom-facts §2.6: trust the encoder order).
/// </summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole)
{
    internal int ItemLength => 2 + SopClassUid.Length + 2;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.RoleSelection, ItemLength);
        writer.UInt16((ushort)SopClassUid.Length);
        writer.Ascii(SopClassUid);
        writer.Byte(ScuRole ? (byte)1 : (byte)0);
        writer.Byte(ScpRole ? (byte)1 : (byte)0);
    }

    internal static RoleSelection Read(ReadOnlySpan<byte> value)
    {
        var reader = new PduSpanReader(value, "role selection sub-item");
        var uidLength = reader.UInt16();
        var uid = PduFormat.ReadUid(reader.Bytes(uidLength));
        var scu = reader.Byte() != 0;
        var scp = reader.Byte() != 0;
        return new RoleSelection(uid, scu, scp);
    }
}
