namespace DiffuGts.Dicom.Tests.Codecs;

/// <summary>How <see cref="JpegLosslessTestEncoder"/> writes a stream.</summary>
internal sealed record JpegLosslessEncoding(int Precision, int Predictor = 1)
{
    public int PointTransform { get; init; }

    public int RestartInterval { get; init; }

    /// <summary>One scan with every component (MCU = one sample of each), or one scan per component.</summary>
    public bool Interleaved { get; init; } = true;

    /// <summary>BITS (16 counts) and HUFFVAL; <see cref="JpegLosslessTestEncoder.SkewedTable"/> by default.</summary>
    public (byte[] Counts, byte[] Values)? Table { get; init; }
}

/// <summary>
/// A small, test-only JPEG lossless (T.81 process 14) encoder, written from Annex H so the decoder can be checked on
/// streams with any predictor, precision, point transform, restart interval and component layout. Not fast and not
/// shipped: DCMTK's encoder is the independent check (interop tests).
/// </summary>
internal static class JpegLosslessTestEncoder
{
    /// <summary>
    /// A DC table for categories 0..16 with code lengths 2, 3×5, 4, 5, …, 14: long codes exercise the decoder's slow
    /// path, and no code is all 1-bits.
    /// </summary>
    public static (byte[] Counts, byte[] Values) SkewedTable { get; } = (
        [0, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);

    /// <summary>Encodes planes[component][row * columns + column] (values of <c>Precision</c> bits).</summary>
    public static byte[] Encode(ushort[][] planes, int rows, int columns, JpegLosslessEncoding encoding)
    {
        var output = new List<byte>();
        Marker(output, 0xD8);
        Segment(output, 0xFE, "DiffuGts test stream"u8.ToArray());
        var frame = new List<byte> { (byte)encoding.Precision, (byte)(rows >> 8), (byte)rows, (byte)(columns >> 8), (byte)columns };
        frame.Add((byte)planes.Length);
        for (var c = 0; c < planes.Length; c++)
        {
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        }

        Segment(output, 0xC3, [.. frame]);
        var (counts, values) = encoding.Table ?? SkewedTable;
        Segment(output, 0xC4, [0x00, .. counts, .. values]);
        if (encoding.RestartInterval > 0)
        {
            Segment(output, 0xDD, [(byte)(encoding.RestartInterval >> 8), (byte)encoding.RestartInterval]);
        }

        var codes = CanonicalCodes(counts, values);
        var scans = encoding.Interleaved
            ? [Enumerable.Range(0, planes.Length).ToArray()]
            : Enumerable.Range(0, planes.Length).Select(c => new[] { c }).ToArray();
        foreach (var scan in scans)
        {
            var header = new List<byte> { (byte)scan.Length };
            foreach (var c in scan)
            {
                header.AddRange([(byte)(c + 1), 0x00]);
            }

            header.AddRange([(byte)encoding.Predictor, 0, (byte)encoding.PointTransform]);
            Segment(output, 0xDA, [.. header]);
            EncodeScan(output, planes, scan, rows, columns, encoding, codes);
        }

        Marker(output, 0xD9);
        return [.. output];
    }

    private static void EncodeScan(
        List<byte> output, ushort[][] planes, int[] scan, int rows, int columns, JpegLosslessEncoding encoding, (int Code, int Length)[] codes)
    {
        var bits = new BitWriter(output);
        var pt = encoding.PointTransform;
        int Sample(int c, int at) => planes[c][at] >> pt;
        var mcusLeft = encoding.RestartInterval == 0 ? int.MaxValue : encoding.RestartInterval;
        var restart = 0;
        var reset = true;
        var intervalRow = 0;
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                if (mcusLeft == 0)
                {
                    bits.Flush();
                    output.AddRange([0xFF, (byte)(0xD0 + (restart++ & 7))]);
                    mcusLeft = encoding.RestartInterval;
                    reset = true;
                }

                mcusLeft--;
                foreach (var c in scan)
                {
                    var at = (y * columns) + x;
                    int prediction;
                    if (reset)
                    {
                        prediction = 1 << (encoding.Precision - pt - 1);
                    }
                    else if (y == intervalRow)
                    {
                        prediction = Sample(c, at - 1);
                    }
                    else if (x == 0)
                    {
                        prediction = Sample(c, at - columns);
                    }
                    else
                    {
                        int ra = Sample(c, at - 1), rb = Sample(c, at - columns), rc = Sample(c, at - columns - 1);
                        prediction = encoding.Predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }

                    WriteDifference(bits, (Sample(c, at) - prediction) & 0xFFFF, codes);
                }

                if (reset)
                {
                    reset = false;
                    intervalRow = y;
                }
            }
        }

        bits.Flush();
    }

    /// <summary>H.1.2.2 and F.1.2.1: category SSSS, its code, then SSSS low bits of DIFF (DIFF − 1 when negative).</summary>
    private static void WriteDifference(BitWriter bits, int modulo, (int Code, int Length)[] codes)
    {
        if (modulo == 32768)
        {
            bits.Write(codes[16].Code, codes[16].Length);
            return;
        }

        var difference = modulo > 32768 ? modulo - 65536 : modulo;
        var magnitude = Math.Abs(difference);
        var category = magnitude == 0 ? 0 : 32 - int.LeadingZeroCount(magnitude);
        bits.Write(codes[category].Code, codes[category].Length);
        if (category > 0)
        {
            var extra = difference > 0 ? difference : difference - 1;
            bits.Write(extra & ((1 << category) - 1), category);
        }
    }

    private static (int Code, int Length)[] CanonicalCodes(byte[] counts, byte[] values)
    {
        var codes = new (int, int)[256];
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++)
            {
                codes[values[k++]] = (code++, length);
            }

            code <<= 1;
        }

        return codes;
    }

    private static void Marker(List<byte> output, byte marker) => output.AddRange([0xFF, marker]);

    private static void Segment(List<byte> output, byte marker, byte[] parameters)
    {
        Marker(output, marker);
        var length = parameters.Length + 2;
        output.AddRange([(byte)(length >> 8), (byte)length]);
        output.AddRange(parameters);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>F.1.2.3: pad the last byte with 1-bits.</summary>
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.Add(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
