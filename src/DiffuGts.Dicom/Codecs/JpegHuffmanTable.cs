namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// One Huffman decoding table (ITU T.81 Annex C and F.2.2.3), built from the BITS and HUFFVAL lists of a DHT segment.
/// Codes up to <see cref="LookupBits"/> long decode with one table look-up; longer ones use the MAXCODE/VALPTR procedure.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Bits resolved by the direct look-up; most lossless difference categories have shorter codes.</summary>
    public const int LookupBits = 9;

    private const int MaxCodeLength = 16;

    // Per code length L (1..16), per F.2.2.3: the largest code of that length (-1 if none), the smallest, and the index
    // in HUFFVAL of the first value with that length.
    private readonly int[] _maxCode = new int[MaxCodeLength + 1];
    private readonly int[] _minCode = new int[MaxCodeLength + 1];
    private readonly int[] _valuePointer = new int[MaxCodeLength + 1];
    private readonly byte[] _values;

    private JpegHuffmanTable(byte[] values) => _values = values;

    /// <summary>(code length « 8) | value for every 9-bit prefix whose code is at most 9 bits long; 0 otherwise.</summary>
    public int[] Lookup { get; } = new int[1 << LookupBits];

    /// <summary>
    /// Builds a table from <paramref name="counts"/> (BITS: codes of each length 1..16) and <paramref name="values"/>
    /// (HUFFVAL), generating codes as in C.2 (Figures C.1–C.3).
    /// </summary>
    public static JpegHuffmanTable Create(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        var table = new JpegHuffmanTable(values.ToArray());
        var code = 0;
        var k = 0;
        for (var length = 1; length <= MaxCodeLength; length++)
        {
            int count = counts[length - 1];
            table._valuePointer[length] = k;
            table._minCode[length] = code;
            table._maxCode[length] = count == 0 ? -1 : code + count - 1;
            for (var i = 0; i < count; i++, code++, k++)
            {
                // C.2: every code of length L must fit in L bits, or the lengths describe no prefix code.
                if (code >= 1 << length)
                {
                    throw new InvalidDataException($"JPEG: Huffman table has more codes of length ≤ {length} than fit in {length} bits");
                }

                if (length <= LookupBits)
                {
                    var first = code << (LookupBits - length);
                    var entry = (length << 8) | values[k];
                    table.Lookup.AsSpan(first, 1 << (LookupBits - length)).Fill(entry);
                }
            }

            code <<= 1;
        }

        return table;
    }

    /// <summary>
    /// Decodes a code longer than <see cref="LookupBits"/> (F.2.2.3) from the next 16 bits of the stream; returns
    /// (length « 8) | value.
    /// </summary>
    public int DecodeLong(int next16Bits)
    {
        for (var length = LookupBits + 1; length <= MaxCodeLength; length++)
        {
            var code = next16Bits >> (MaxCodeLength - length);
            if (code <= _maxCode[length])
            {
                return (length << 8) | _values[_valuePointer[length] + code - _minCode[length]];
            }
        }

        throw new InvalidDataException("JPEG: entropy-coded data holds a bit pattern that is no code of its Huffman table");
    }
}
