namespace DiffuGts.Dicom.Codecs;

/// <summary>The byte-run coding of one RLE segment (PS3.5 G.3.1 encoder, G.3.2 decoder).</summary>
internal static class PackBits
{
    /// <summary>G.3.1: a literal or replicate run covers at most 128 bytes.</summary>
    public const int MaxRun = 128;

    /// <summary>
    /// Decodes one segment into every <paramref name="stride"/>-th byte of <paramref name="destination"/>, producing exactly
    /// <paramref name="count"/> bytes. Bytes left in the segment after that are padding (G.3.1 pads each segment to even
    /// length) and are ignored.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> segment, Span<byte> destination, int stride, int count, int segmentNumber)
    {
        var produced = 0;
        var position = 0;
        var output = 0;
        while (produced < count)
        {
            if (position >= segment.Length)
            {
                throw new InvalidDataException(
                    $"RLE Lossless: segment {segmentNumber} ends after {produced} of {count} bytes (PS3.5 G.3.2)");
            }

            int header = (sbyte)segment[position++];
            if (header >= 0)
            {
                // G.3.2: n in 0..127 copies the next n + 1 bytes literally.
                var length = header + 1;
                if (position + length > segment.Length)
                {
                    throw new InvalidDataException(
                        $"RLE Lossless: segment {segmentNumber} literal run of {length} bytes passes the end of the segment");
                }

                CheckRoom(produced, length, count, segmentNumber);
                var literal = segment.Slice(position, length);
                if (stride == 1)
                {
                    literal.CopyTo(destination[output..]);
                    output += length;
                }
                else
                {
                    foreach (var b in literal)
                    {
                        destination[output] = b;
                        output += stride;
                    }
                }

                position += length;
                produced += length;
            }
            else if (header != -128)
            {
                // G.3.2: n in -127..-1 repeats the next byte 1 - n times; -128 is a no-op.
                var length = 1 - header;
                if (position >= segment.Length)
                {
                    throw new InvalidDataException($"RLE Lossless: segment {segmentNumber} replicate run has no byte to repeat");
                }

                CheckRoom(produced, length, count, segmentNumber);
                var value = segment[position++];
                if (stride == 1)
                {
                    destination.Slice(output, length).Fill(value);
                    output += length;
                }
                else
                {
                    for (var i = 0; i < length; i++)
                    {
                        destination[output] = value;
                        output += stride;
                    }
                }

                produced += length;
            }
        }
    }

    /// <summary>
    /// Encodes <paramref name="row"/> (one image row of one byte plane; G.3.1 codes rows separately) and appends the
    /// runs to <paramref name="output"/>.
    /// </summary>
    public static void EncodeRow(ReadOnlySpan<byte> row, List<byte> output)
    {
        var i = 0;
        while (i < row.Length)
        {
            var run = RunLength(row, i);
            if (run >= 2)
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(row[i]);
                i += run;
                continue;
            }

            // A literal run lasts until a replicate run of three or more would pay for itself, or 128 bytes.
            var start = i;
            while (i < row.Length && i - start < MaxRun && (RunLength(row, i) < 3))
            {
                i++;
            }

            var length = i - start;
            output.Add((byte)(length - 1));
            for (var k = start; k < i; k++)
            {
                output.Add(row[k]);
            }
        }
    }

    private static int RunLength(ReadOnlySpan<byte> row, int start)
    {
        var value = row[start];
        var end = Math.Min(row.Length, start + MaxRun);
        var i = start + 1;
        while (i < end && row[i] == value)
        {
            i++;
        }

        return i - start;
    }

    private static void CheckRoom(int produced, int length, int count, int segmentNumber)
    {
        if (produced + length > count)
        {
            throw new InvalidDataException(
                $"RLE Lossless: segment {segmentNumber} decodes to more than the {count} bytes of one byte plane (PS3.5 G.3.2)");
        }
    }
}
