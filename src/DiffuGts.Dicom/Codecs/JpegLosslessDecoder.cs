using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// Decodes one JPEG lossless image (ITU T.81 Annex B syntax, Annex E control procedures, Annex H lossless coding) into
/// per-component sample planes, then writes them as native DICOM pixels. One instance per frame; the sample planes are
/// pooled.
/// </summary>
internal sealed partial class JpegLosslessDecoder
{
    private const string Name = "JPEG Lossless";
    private const int MaxComponents = 4;
    private const int TableSlots = 4;

    private readonly PixelFrameInfo _info;
    private readonly JpegHuffmanTable?[] _tables = new JpegHuffmanTable?[TableSlots];
    private readonly Component[] _components = new Component[MaxComponents];
    private int _componentCount;
    private int _precision;
    private int _restartInterval;
    private int _pixelCount;
    private ushort[]? _samples;

    private JpegLosslessDecoder(PixelFrameInfo info) => _info = info;

    public static void Decode(ReadOnlySpan<byte> data, PixelFrameInfo info, Span<byte> destination)
    {
        var decoder = new JpegLosslessDecoder(info);
        try
        {
            decoder.ReadImage(data);
            decoder.WritePixels(destination);
        }
        finally
        {
            if (decoder._samples is not null)
            {
                ArrayPool<ushort>.Shared.Return(decoder._samples);
            }
        }
    }

    /// <summary>B.2.1: SOI, then marker segments, frame header, scans, EOI.</summary>
    private void ReadImage(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != JpegMarker.Soi)
        {
            throw new InvalidDataException($"{Name}: the frame does not start with an SOI marker (FF D8)");
        }

        var position = 2;
        while (true)
        {
            position = SkipFill(data, position);
            if (position >= data.Length)
            {
                // Tolerate a missing EOI when every component has been decoded.
                break;
            }

            if (data[position] != 0xFF || position + 1 >= data.Length)
            {
                throw new InvalidDataException($"{Name}: expected a marker at offset {position}, found 0x{data[position]:X2}");
            }

            var marker = data[position + 1];
            position += 2;
            if (marker == JpegMarker.Eoi)
            {
                break;
            }

            if (marker == JpegMarker.Tem)
            {
                continue;
            }

            if (JpegMarker.IsRestart(marker))
            {
                throw new InvalidDataException($"{Name}: restart marker RST{marker - JpegMarker.Rst0} at offset {position - 2} outside a scan");
            }

            var segment = Segment(data, position, marker);
            switch (marker)
            {
                case JpegMarker.Sof3:
                    ReadFrameHeader(segment);
                    break;
                case JpegMarker.Dht:
                    ReadHuffmanTables(segment);
                    break;
                case JpegMarker.Dri:
                    ReadRestartInterval(segment);
                    break;
                case JpegMarker.Dac:
                    throw new InvalidDataException($"{Name}: arithmetic coding (DAC) is not supported; process 14 uses Huffman coding");
                case JpegMarker.Sos:
                    position = ReadScan(data, position, segment);
                    continue;
                default:
                    if (JpegMarker.IsStartOfFrame(marker))
                    {
                        throw new InvalidDataException(
                            $"{Name}: frame marker SOF{marker - JpegMarker.Sof0} is not lossless Huffman (SOF3, T.81 process 14)");
                    }

                    // APPn, COM, DQT, DNL and others carry nothing this decoder needs (B.2.4).
                    break;
            }

            position += 2 + segment.Length;
        }

        if (_componentCount == 0)
        {
            throw new InvalidDataException($"{Name}: the stream has no SOF3 frame header");
        }

        for (var i = 0; i < _componentCount; i++)
        {
            if (!_components[i].Decoded)
            {
                throw new InvalidDataException($"{Name}: component {_components[i].Id} is never coded by a scan (stream truncated?)");
            }
        }
    }

    private static int SkipFill(ReadOnlySpan<byte> data, int position)
    {
        // B.1.1.2: any marker may be preceded by fill bytes 0xFF.
        while (position + 1 < data.Length && data[position] == 0xFF && data[position + 1] == 0xFF)
        {
            position++;
        }

        return position;
    }

    /// <summary>The parameters of a marker segment (B.1.1.4: a 16-bit length that counts itself).</summary>
    private static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, int position, byte marker)
    {
        if (position + 2 > data.Length)
        {
            throw new InvalidDataException($"{Name}: marker FF {marker:X2} at offset {position - 2} has no length");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        if (length < 2 || position + length > data.Length)
        {
            throw new InvalidDataException(
                $"{Name}: marker FF {marker:X2} at offset {position - 2} declares length {length}, {data.Length - position} bytes remain");
        }

        return data.Slice(position + 2, length - 2);
    }

    /// <summary>B.2.2 frame header: P, Y, X, Nf, then Ci, Hi|Vi, Tqi per component.</summary>
    private void ReadFrameHeader(ReadOnlySpan<byte> segment)
    {
        if (_componentCount != 0)
        {
            throw new InvalidDataException($"{Name}: a second frame header; one frame per DICOM frame is expected");
        }

        if (segment.Length < 6)
        {
            throw new InvalidDataException($"{Name}: SOF3 segment is {segment.Length} bytes, too short");
        }

        _precision = segment[0];
        int rows = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        int columns = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int count = segment[5];
        if (_precision is < 2 or > 16)
        {
            throw new InvalidDataException($"{Name}: sample precision {_precision} is outside 2..16 (T.81 Table B.2)");
        }

        if (_precision > _info.BitsAllocated)
        {
            throw new InvalidDataException($"{Name}: sample precision {_precision} exceeds Bits Allocated {_info.BitsAllocated}");
        }

        if (rows != _info.Rows || columns != _info.Columns)
        {
            throw new InvalidDataException(
                $"{Name}: the JPEG frame is {rows} × {columns}, the dataset says Rows {_info.Rows} × Columns {_info.Columns}");
        }

        if (count != _info.SamplesPerPixel)
        {
            throw new InvalidDataException($"{Name}: the JPEG frame has {count} components, Samples per Pixel is {_info.SamplesPerPixel}");
        }

        if (segment.Length != 6 + (3 * count))
        {
            throw new InvalidDataException($"{Name}: SOF3 segment length does not match its {count} components");
        }

        for (var i = 0; i < count; i++)
        {
            var id = segment[6 + (3 * i)];
            var sampling = segment[7 + (3 * i)];
            if (sampling != 0x11)
            {
                throw new InvalidDataException(
                    $"{Name}: component {id} has sampling factors {sampling >> 4}×{sampling & 0xF}; only 1×1 is supported");
            }

            for (var j = 0; j < i; j++)
            {
                if (_components[j].Id == id)
                {
                    throw new InvalidDataException($"{Name}: component identifier {id} appears twice in the frame header");
                }
            }

            _components[i] = new Component { Id = id };
        }

        _pixelCount = rows * columns;
        _samples = ArrayPool<ushort>.Shared.Rent(_pixelCount * count);
        _componentCount = count;
    }

    /// <summary>B.2.4.2: one or more tables, each Tc|Th, 16 counts L1..L16, then the values.</summary>
    private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                throw new InvalidDataException($"{Name}: DHT segment ends inside a table definition");
            }

            var tableClass = segment[0] >> 4;
            var slot = segment[0] & 0xF;
            if (tableClass > 1 || slot >= TableSlots)
            {
                throw new InvalidDataException($"{Name}: DHT names table class {tableClass}, destination {slot}; allowed are 0–1 and 0–3");
            }

            var counts = segment.Slice(1, 16);
            var total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            if (segment.Length < 17 + total)
            {
                throw new InvalidDataException($"{Name}: DHT table {slot} declares {total} values, the segment holds {segment.Length - 17}");
            }

            // Lossless scans use only the DC-class tables (H.1.2.2 codes differences with the Annex F DC procedure).
            if (tableClass == 0)
            {
                _tables[slot] = JpegHuffmanTable.Create(counts, segment.Slice(17, total));
            }

            segment = segment[(17 + total)..];
        }
    }

    /// <summary>B.2.4.4: Ri, the number of MCUs in a restart interval (0 disables restarts).</summary>
    private void ReadRestartInterval(ReadOnlySpan<byte> segment)
    {
        if (segment.Length != 2)
        {
            throw new InvalidDataException($"{Name}: DRI segment is {segment.Length + 2} bytes long, not 4");
        }

        _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
    }

    private void WritePixels(Span<byte> destination)
    {
        var samples = _samples!;
        var bytesPerSample = _info.BitsAllocated / 8;
        var signExtend = _info.PixelRepresentation == 1 && _info.BitsStored < _info.BitsAllocated ? 32 - _info.BitsStored : 0;
        for (var c = 0; c < _componentCount; c++)
        {
            var plane = samples.AsSpan(c * _pixelCount, _pixelCount);
            var shift = _components[c].PointTransform;
            if (_componentCount == 1 && bytesPerSample == 2 && shift == 0 && signExtend == 0 && BitConverter.IsLittleEndian)
            {
                MemoryMarshal.AsBytes(plane).CopyTo(destination);
                return;
            }

            int start, stride;
            if (_info.PlanarConfiguration == 0)
            {
                start = c * bytesPerSample;
                stride = _componentCount * bytesPerSample;
            }
            else
            {
                start = c * _pixelCount * bytesPerSample;
                stride = bytesPerSample;
            }

            var output = destination[start..];
            var at = 0;
            for (var i = 0; i < plane.Length; i++, at += stride)
            {
                // H.2.2: a non-zero point transform multiplies the decoded value by 2^Pt.
                var value = (plane[i] << shift) & 0xFFFF;
                if (signExtend != 0)
                {
                    value = (value << signExtend) >> signExtend;
                }

                switch (bytesPerSample)
                {
                    case 1:
                        output[at] = (byte)value;
                        break;
                    case 2:
                        BinaryPrimitives.WriteInt16LittleEndian(output[at..], (short)value);
                        break;
                    default:
                        BinaryPrimitives.WriteInt32LittleEndian(output[at..], value);
                        break;
                }
            }
        }
    }

    private struct Component
    {
        public byte Id;
        public int PointTransform;
        public bool Decoded;
    }
}
