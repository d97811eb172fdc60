using System.Runtime.CompilerServices;

namespace DiffuGts.Dicom.Codecs;

internal sealed partial class JpegLosslessDecoder
{
    /// <summary>
    /// B.2.3 scan header (Ns, Csj|Tdj|Taj, Ss = predictor, Se, Ah|Al = point transform), then its entropy-coded
    /// segments. Returns the offset of the marker that ends the scan.
    /// </summary>
    private int ReadScan(ReadOnlySpan<byte> data, int position, ReadOnlySpan<byte> header)
    {
        if (_componentCount == 0)
        {
            throw new InvalidDataException($"{Name}: SOS comes before the SOF3 frame header");
        }

        var count = header.Length > 0 ? header[0] : 0;
        if (count < 1 || count > _componentCount || header.Length != 4 + (2 * count))
        {
            throw new InvalidDataException($"{Name}: scan header names {count} components in {header.Length + 2} bytes");
        }

        Span<int> planeOffsets = stackalloc int[MaxComponents];
        Span<int> componentIndexes = stackalloc int[MaxComponents];
        var tables = new JpegHuffmanTable[count];
        for (var i = 0; i < count; i++)
        {
            var id = header[1 + (2 * i)];
            var index = IndexOf(id);
            if (index < 0 || _components[index].Decoded || componentIndexes[..i].Contains(index))
            {
                throw new InvalidDataException($"{Name}: scan names component {id}, which is not in the frame or is already coded");
            }

            var slot = header[2 + (2 * i)] >> 4;
            tables[i] = (slot < TableSlots ? _tables[slot] : null)
                ?? throw new InvalidDataException($"{Name}: scan uses Huffman table {slot}, which no DHT defined");
            componentIndexes[i] = index;
            planeOffsets[i] = index * _pixelCount;
        }

        int predictor = header[1 + (2 * count)];
        var pointTransform = header[3 + (2 * count)] & 0xF;
        if (predictor is < 1 or > 7)
        {
            throw new InvalidDataException($"{Name}: predictor (Ss) {predictor} is outside 1..7 (T.81 Table H.1)");
        }

        if (pointTransform >= _precision)
        {
            throw new InvalidDataException($"{Name}: point transform {pointTransform} is not below the precision {_precision}");
        }

        var reader = new JpegBitReader(data, position + header.Length + 2);
        DecodeScan(ref reader, data, tables, planeOffsets[..count], predictor, pointTransform);
        for (var i = 0; i < count; i++)
        {
            _components[componentIndexes[i]].Decoded = true;
            _components[componentIndexes[i]].PointTransform = pointTransform;
        }

        return NextMarker(data, reader.Position);
    }

    /// <summary>
    /// H.1.2.1 and H.2: each MCU is one sample of each scan component (interleaved in scan order); every sample is its
    /// prediction plus a Huffman-coded difference, modulo 2^16. The first line of the scan and of each restart interval
    /// predicts from the left (Ra); the first sample of each uses 2^(P−Pt−1); every other line starts from above (Rb).
    /// </summary>
    private void DecodeScan(
        ref JpegBitReader reader,
        ReadOnlySpan<byte> data,
        JpegHuffmanTable[] tables,
        scoped ReadOnlySpan<int> planeOffsets,
        int predictor,
        int pointTransform)
    {
        var samples = _samples.AsSpan();
        var columns = _info.Columns;
        var rows = _info.Rows;
        var initial = 1 << (_precision - pointTransform - 1);
        var mcusLeft = _restartInterval == 0 ? int.MaxValue : _restartInterval;
        var restartIndex = 0;
        var reset = true;
        var intervalRow = 0;

        for (var y = 0; y < rows; y++)
        {
            if (reader.Overran)
            {
                throw Truncated(y);
            }

            var rowStart = y * columns;
            for (var x = 0; x < columns; x++)
            {
                if (mcusLeft == 0)
                {
                    ExpectRestart(ref reader, data, restartIndex++, y);
                    mcusLeft = _restartInterval;
                    reset = true;
                }

                mcusLeft--;
                for (var j = 0; j < planeOffsets.Length; j++)
                {
                    var at = planeOffsets[j] + rowStart + x;
                    var difference = DecodeDifference(ref reader, tables[j]);
                    int prediction;
                    if (reset)
                    {
                        prediction = initial;
                    }
                    else if (y == intervalRow)
                    {
                        prediction = samples[at - 1];
                    }
                    else if (x == 0)
                    {
                        prediction = samples[at - columns];
                    }
                    else
                    {
                        prediction = Predict(predictor, samples[at - 1], samples[at - columns], samples[at - columns - 1]);
                    }

                    samples[at] = (ushort)(prediction + difference);
                }

                if (reset)
                {
                    reset = false;
                    intervalRow = y;
                }
            }
        }

        if (reader.Overran)
        {
            throw Truncated(rows);
        }
    }

    /// <summary>Table H.1; the divisions by 2 are arithmetic right shifts on full-precision integers (H.1.2.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Predict(int predictor, int ra, int rb, int rc) => predictor switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };

    /// <summary>
    /// F.2.2.1 DECODE and EXTEND with the lossless category table H.2: SSSS = 16 has no additional bits and means 32768.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecodeDifference(ref JpegBitReader reader, JpegHuffmanTable table)
    {
        reader.Ensure32();
        var next = reader.Peek16();
        var entry = table.Lookup[next >> (16 - JpegHuffmanTable.LookupBits)];
        if (entry == 0)
        {
            entry = table.DecodeLong(next);
        }

        reader.Skip(entry >> 8);
        var category = entry & 0xFF;
        if (category == 0)
        {
            return 0;
        }

        if (category >= 16)
        {
            return category == 16
                ? 32768
                : throw new InvalidDataException($"{Name}: difference category {category} is above 16 (T.81 Table H.2)");
        }

        var bits = reader.Take(category);
        return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }

    /// <summary>E.2.4: at the end of a restart interval the next marker must be RSTm, m counting modulo 8.</summary>
    private static void ExpectRestart(ref JpegBitReader reader, ReadOnlySpan<byte> data, int restartIndex, int row)
    {
        if (reader.Overran)
        {
            throw Truncated(row);
        }

        var at = NextMarker(data, reader.Position);
        var expected = (byte)(JpegMarker.Rst0 + (restartIndex & 7));
        if (at + 1 >= data.Length || data[at + 1] != expected)
        {
            var found = at + 1 < data.Length ? $"FF {data[at + 1]:X2}" : "the end of the data";
            throw new InvalidDataException($"{Name}: expected restart marker RST{restartIndex & 7} at row {row}, found {found}");
        }

        reader.Restart(at);
    }

    /// <summary>The offset of the next marker at or after <paramref name="from"/>: 0xFF followed by neither 0x00 nor 0xFF.</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, int from)
    {
        for (var i = from; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is not (0x00 or 0xFF))
            {
                return i;
            }
        }

        return data.Length;
    }

    private static InvalidDataException Truncated(int row) =>
        new($"{Name}: entropy-coded data ends before the scan is complete (at row {row})");

    private int IndexOf(byte id)
    {
        for (var i = 0; i < _componentCount; i++)
        {
            if (_components[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
