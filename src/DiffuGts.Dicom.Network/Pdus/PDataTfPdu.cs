using System.Buffers;
using System.Buffers.Binary;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// P-DATA-TF PDU (PS3.8 §9.3.5): one or more PDV items. The receiver must accept any grouping of PDVs; we send one PDV
/// per PDU so that each PDU fits the peer's maximum (dicom-facts §2.6).
/// </summary>
public sealed record PDataTfPdu(IReadOnlyList<PresentationDataValue> Values) : IPdu
{
    public PduType Type => PduType.PData;

    public int BodyLength => Values.Sum(v => PresentationDataValue.Overhead + v.Data.Length);

    public void WriteBody(Span<byte> destination)
    {
        var offset = 0;
        foreach (var pdv in Values)
        {
            WritePdvHeader(destination[offset..], pdv.ContextId, pdv.MessageControlHeader, pdv.Data.Length);
            pdv.Data.Span.CopyTo(destination[(offset + PresentationDataValue.Overhead)..]);
            offset += PresentationDataValue.Overhead + pdv.Data.Length;
        }
    }

    internal static void WritePdvHeader(Span<byte> destination, byte contextId, byte messageControlHeader, int fragmentLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(fragmentLength + 2));
        destination[4] = contextId;
        destination[5] = messageControlHeader;
    }

    /// <summary>Splits a P-DATA-TF body into PDV views without copying. Each item must have length ≥ 2 and fit.</summary>
    public static void ReadFragments(ReadOnlySequence<byte> body, List<PdvFragment> fragments)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        var reader = new SequenceReader<byte>(body);
        if (reader.Remaining == 0)
        {
            throw new DicomProtocolException("P-DATA-TF without any PDV item");
        }

        while (reader.Remaining > 0)
        {
            if (!reader.TryReadBigEndian(out int itemLength) || itemLength < 2 || itemLength > reader.Remaining)
            {
                throw new DicomProtocolException(
                    $"PDV item length {itemLength} at offset {reader.Consumed - 4} does not fit the {body.Length}-byte P-DATA-TF");
            }

            reader.TryRead(out var contextId);
            reader.TryRead(out var header);
            fragments.Add(new PdvFragment(contextId, header, body.Slice(reader.Position, itemLength - 2)));
            reader.Advance(itemLength - 2);
        }
    }

    /// <summary>Copies received PDVs out of the reader's buffer (tests and diagnostics).</summary>
    public static PDataTfPdu Decode(ReadOnlySequence<byte> body)
    {
        var fragments = new List<PdvFragment>();
        ReadFragments(body, fragments);
        return new PDataTfPdu(fragments.Select(f => new PresentationDataValue(f.ContextId, f.IsCommand, f.IsLast, f.Data.ToArray())).ToList());
    }
}
