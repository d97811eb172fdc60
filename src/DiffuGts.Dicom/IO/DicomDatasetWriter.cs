using System.Buffers.Binary;
using System.IO.Compression;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Encodes a dataset in a transfer syntax (PS3.5 §7): values padded to even length with the VR's padding byte (PS3.5
/// §6.2), sequences and items with defined lengths (the most interoperable choice, dicom-facts §1.3), encapsulated Pixel
/// Data with undefined length (PS3.5 §A.4), group lengths (gggg,0000) recomputed where present. Values are little-endian in
/// the model; Explicit VR Big Endian swaps binary numbers by VR on the way out.
/// </summary>
public static class DicomDatasetWriter
{
    private const int ShortLengthLimit = 0xFFFF;

    /// <summary>Writes the dataset (no preamble or file meta) to <paramref name="stream"/>; a deflated syntax is deflated.</summary>
    public static void Write(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        options ??= DicomWriteOptions.Default;
        if (transferSyntax.IsDeflated)
        {
            // PS3.5 §A.5: raw deflate (RFC 1951), no zlib or gzip header.
            using var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            WriteCore(deflate, dataset, transferSyntax);
            return;
        }

        WriteCore(stream, dataset, transferSyntax);
    }

    /// <summary>The encoded dataset as a new array.</summary>
    public static byte[] ToArray(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null)
    {
        using var memory = new MemoryStream();
        Write(memory, dataset, transferSyntax, options);
        return memory.ToArray();
    }

    /// <summary>Bytes the dataset takes in the syntax, before any deflate.</summary>
    public static long GetEncodedLength(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var encoding = new Encoding(transferSyntax.IsExplicitVR, transferSyntax.IsBigEndian);
        return dataset.Sum(item => ItemLength(item, encoding));
    }

    private static void WriteCore(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var writer = new Writer(stream, new Encoding(syntax.IsExplicitVR, syntax.IsBigEndian), syntax);
        writer.WriteDataset(dataset);
        writer.Flush();
    }

    private static long ItemLength(DicomItem item, Encoding encoding) => item switch
    {
        DicomSequence sequence => HeaderLength(DicomVR.SQ, encoding) + SequenceValueLength(sequence, encoding),
        DicomFragmentSequence fragments => HeaderLength(fragments.VR, encoding) + FragmentsValueLength(fragments),
        DicomElement element => HeaderLength(WrittenVR(element, encoding), encoding) + PaddedLength(element.Length),
        _ => throw new ArgumentException($"unknown item type {item.GetType().Name}", nameof(item)),
    };

    private static long SequenceValueLength(DicomSequence sequence, Encoding encoding) =>
        sequence.Items.Sum(item => 8 + item.Sum(child => ItemLength(child, encoding)));

    /// <summary>Basic Offset Table item, fragment items, sequence delimiter (PS3.5 §A.4).</summary>
    private static long FragmentsValueLength(DicomFragmentSequence fragments) =>
        8 + (4L * fragments.BasicOffsetTable.Count) + fragments.Fragments.Sum(f => 8 + PaddedLength(f.Length)) + 8;

    private static long PaddedLength(long length) => length + (length & 1);

    private static int HeaderLength(DicomVR vr, Encoding encoding) => encoding.ExplicitVR ? vr.ExplicitHeaderLength : 8;

    /// <summary>
    /// A value too long for a 16-bit explicit length cannot keep its VR (dicom-facts §6.16); it is written as UN, which has a
    /// 32-bit length (PS3.5 §6.2.2).
    /// </summary>
    private static DicomVR WrittenVR(DicomElement element, Encoding encoding) =>
        encoding.ExplicitVR && !element.VR.HasLongLength && PaddedLength(element.Length) > ShortLengthLimit ? DicomVR.UN : element.VR;

    private readonly record struct Encoding(bool ExplicitVR, bool BigEndian);

    /// <summary>A small buffer in front of the stream; large values go straight through.</summary>
    private sealed class Writer(Stream stream, Encoding encoding, DicomTransferSyntax syntax)
    {
        private const int LargeValue = 16 * 1024;
        private readonly byte[] buffer = new byte[64 * 1024];
        private int used;

        public void WriteDataset(DicomDataset dataset)
        {
            var items = dataset.ToList();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item.Tag.IsGroupLength && item is DicomElement)
                {
                    // PS3.5 §7.2: the group length counts every following element of the same group.
                    var groupLength = items.Skip(i + 1).TakeWhile(x => x.Tag.Group == item.Tag.Group).Sum(x => ItemLength(x, encoding));
                    var value = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(value, checked((uint)groupLength));
                    WriteElement(new DicomElement(item.Tag, DicomVR.UL, value));
                    continue;
                }

                WriteItem(item);
            }
        }

        public void Flush()
        {
            stream.Write(buffer, 0, used);
            used = 0;
        }

        private void WriteItem(DicomItem item)
        {
            switch (item)
            {
                case DicomSequence sequence:
                    WriteHeader(sequence.Tag, DicomVR.SQ, checked((uint)SequenceValueLength(sequence, encoding)));
                    foreach (var child in sequence.Items)
                    {
                        WriteTagAndLength(DicomTag.Item, checked((uint)child.Sum(c => ItemLength(c, encoding))));
                        WriteDataset(child);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(fragments);
                    break;
                case DicomElement element:
                    WriteElement(element);
                    break;
                default:
                    throw new ArgumentException($"unknown item type {item.GetType().Name}", nameof(item));
            }
        }

        private void WriteElement(DicomElement element)
        {
            if (element.Tag == DicomTags.PixelData && syntax.IsEncapsulated)
            {
                throw new InvalidOperationException(
                    $"native Pixel Data cannot be written in {syntax}: it must be compressed by a codec first (PS3.5 §A.4)");
            }

            var vr = WrittenVR(element, encoding);
            var padded = PaddedLength(element.Length);
            WriteHeader(element.Tag, vr, checked((uint)padded));
            var size = element.VR == DicomVR.AT ? 2 : element.VR.UnitSize;
            if (encoding.BigEndian && size > 1)
            {
                WriteBytes(DicomParser.SwapToLittleEndian(element.Buffer.Span, size));
            }
            else
            {
                WriteBytes(element.Buffer.Span);
            }

            if (padded != element.Length)
            {
                WriteByte(element.VR.PaddingByte);
            }
        }

        private void WriteFragments(DicomFragmentSequence fragments)
        {
            if (!syntax.IsEncapsulated)
            {
                throw new InvalidOperationException(
                    $"encapsulated Pixel Data cannot be written in {syntax}: decompress it first (PS3.5 §A.4)");
            }

            WriteHeader(fragments.Tag, fragments.VR, DicomParser.UndefinedLength);
            WriteTagAndLength(DicomTag.Item, checked((uint)(4 * fragments.BasicOffsetTable.Count)));
            Span<byte> offset = stackalloc byte[4];
            foreach (var value in fragments.BasicOffsetTable)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(offset, value);
                WriteBytes(offset);
            }

            foreach (var fragment in fragments.Fragments)
            {
                var padded = PaddedLength(fragment.Length);
                WriteTagAndLength(DicomTag.Item, checked((uint)padded));
                WriteBytes(fragment.Span);
                if (padded != fragment.Length)
                {
                    WriteByte(0);
                }
            }

            WriteTagAndLength(DicomTag.SequenceDelimitationItem, 0);
        }

        /// <summary>PS3.5 Tables 7.1-1 (explicit, 16- or 32-bit length) and 7.1-2 (implicit).</summary>
        private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
        {
            Span<byte> header = stackalloc byte[12];
            WriteUInt16(header, tag.Group);
            WriteUInt16(header[2..], tag.Element);
            if (!encoding.ExplicitVR)
            {
                WriteUInt32(header[4..], length);
                WriteBytes(header[..8]);
                return;
            }

            header[4] = (byte)vr.Code[0];
            header[5] = (byte)vr.Code[1];
            if (vr.HasLongLength)
            {
                header[6] = 0;
                header[7] = 0;
                WriteUInt32(header[8..], length);
                WriteBytes(header);
            }
            else
            {
                WriteUInt16(header[6..], checked((ushort)length));
                WriteBytes(header[..8]);
            }
        }

        /// <summary>Item and delimiter tags carry no VR, even in explicit VR (PS3.5 §7.5).</summary>
        private void WriteTagAndLength(DicomTag tag, uint length)
        {
            Span<byte> header = stackalloc byte[8];
            WriteUInt16(header, tag.Group);
            WriteUInt16(header[2..], tag.Element);
            WriteUInt32(header[4..], length);
            WriteBytes(header);
        }

        private void WriteUInt16(Span<byte> target, ushort value)
        {
            if (encoding.BigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(target, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(target, value);
            }
        }

        private void WriteUInt32(Span<byte> target, uint value)
        {
            if (encoding.BigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(target, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(target, value);
            }
        }

        private void WriteByte(byte value)
        {
            if (used == buffer.Length)
            {
                Flush();
            }

            buffer[used++] = value;
        }

        private void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length >= LargeValue)
            {
                Flush();
                stream.Write(bytes);
                return;
            }

            if (used + bytes.Length > buffer.Length)
            {
                Flush();
            }

            bytes.CopyTo(buffer.AsSpan(used));
            used += bytes.Length;
        }
    }
}
