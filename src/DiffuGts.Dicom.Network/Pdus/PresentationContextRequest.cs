namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// Presentation Context item of an A-ASSOCIATE-RQ (type 0x20, PS3.8 §9.3.2.2): an odd ID 1-255, one abstract syntax
/// sub-item (0x30) and one or more transfer syntax sub-items (0x40).
/// </summary>
public sealed record PresentationContextRequest(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes) : IPresentationContextItem
{
    public int ItemLength => 4 + 4 + AbstractSyntax.Length + TransferSyntaxes.Sum(ts => 4 + ts.Length);

    void IPresentationContextItem.Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.PresentationContextRequest, ItemLength);
        writer.Byte(Id);
        writer.Zeros(3);
        writer.StringItem(ItemType.AbstractSyntax, AbstractSyntax);
        foreach (var ts in TransferSyntaxes)
        {
            writer.StringItem(ItemType.TransferSyntax, ts);
        }
    }

    internal static PresentationContextRequest Read(ReadOnlySpan<byte> value)
    {
        var reader = new PduSpanReader(value, "presentation context item");
        var id = reader.Byte();
        reader.Skip(3);
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        while (reader.Remaining > 0)
        {
            var sub = reader.Item(out var type);
            switch (type)
            {
                case ItemType.AbstractSyntax:
                    abstractSyntax = PduFormat.ReadUid(sub);
                    break;
                case ItemType.TransferSyntax:
                    transferSyntaxes.Add(PduFormat.ReadUid(sub));
                    break;
                default:
                    break; // PS3.8 §9.3.1: unrecognised items are ignored.
            }
        }

        if (abstractSyntax is null || transferSyntaxes.Count == 0)
        {
            throw new DicomProtocolException($"presentation context {id} lacks an abstract syntax or a transfer syntax");
        }

        return new PresentationContextRequest(id, abstractSyntax, transferSyntaxes);
    }
}
