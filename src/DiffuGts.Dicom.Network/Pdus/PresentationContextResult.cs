namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// Presentation Context item of an A-ASSOCIATE-AC (type 0x21, PS3.8 §9.3.3.2). The transfer syntax sub-item is always
/// present; when the context is rejected its value is not significant (Table 9-18), and we send the first proposed one.
/// </summary>
public sealed record PresentationContextResult(byte Id, PresentationContextResultReason Result, string TransferSyntax) : IPresentationContextItem
{
    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance;

    public int ItemLength => 4 + 4 + TransferSyntax.Length;

    void IPresentationContextItem.Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.PresentationContextAccept, ItemLength);
        writer.Byte(Id);
        writer.Byte(0);
        writer.Byte((byte)Result);
        writer.Byte(0);
        writer.StringItem(ItemType.TransferSyntax, TransferSyntax);
    }

    internal static PresentationContextResult Read(ReadOnlySpan<byte> value)
    {
        var reader = new PduSpanReader(value, "presentation context AC item");
        var id = reader.Byte();
        reader.Skip(1);
        var result = (PresentationContextResultReason)reader.Byte();
        reader.Skip(1);
        var transferSyntax = "";
        while (reader.Remaining > 0)
        {
            var sub = reader.Item(out var type);
            if (type == ItemType.TransferSyntax)
            {
                transferSyntax = PduFormat.ReadUid(sub);
            }
        }

        return new PresentationContextResult(id, result, transferSyntax);
    }
}
