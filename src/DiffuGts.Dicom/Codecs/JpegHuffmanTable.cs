namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// One Huffman decoding table for lossless differences (ITU T.81 Annex C, F.2.2.3, H.1.2.2), built from the BITS and
/// HUFFVAL lists of a DHT segment. One look-up on the next <see cref="LookupBits"/> bits resolves a code of at most that
/// length, and where the code and its additional bits both fit, the difference itself; longer codes use the
/// MAXCODE/VALPTR procedure.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Bits resolved by the direct look-up: enough for the code and additional bits of typical CT differences.</summary>
    public const int LookupBits = 12;

    /// <summary>Entry bits 0–4: bits to consume. Bit 5: the entry holds the whole difference in bits 16–31; otherwise
    /// bits 8–15 hold the category SSSS and its additional bits are still to be read.</summary>
    public const int Complete = 1 << 5;

    private const int MaxCodeLength = 16;

    // Per code length L (1..16), per F.2.2.3: the largest code of that length (-1 if none), the smallest, and the index
    // in HUFFVAL of the first value with that length.
    private readonly int[] _maxCode = new int[MaxCodeLength + 1];
    private readonly int[] _minCode = new int[MaxCodeLength + 1];
    private readonly int[] _valuePointer = new int[MaxCodeLength + 1];
    private readonly byte[] _values;

    private JpegHuffmanTable(byte[] values) => _values = values;

    /// <summary>An entry (see <see cref="Complete"/>) for every <see cref="LookupBits"/>-bit prefix; 0 where the code is longer.</summary>
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
                    table.FillLookup(code, length, values[k]);
                }
            }

            code <<= 1;
        }

        return table;
    }

    /// <summary>
    /// Decodes a code longer than <see cref="LookupBits"/> (F.2.2.3) from the next 16 bits of the stream; returns an
    /// incomplete entry: length | (value « 8).
    /// </summary>
    public int DecodeLong(int next16Bits)
    {
        for (var length = LookupBits + 1; length <= MaxCodeLength; length++)
        {
            var code = next16Bits >> (MaxCodeLength - length);
            if (code <= _maxCode[length])
            {
                return length | (_values[_valuePointer[length] + code - _minCode[length]] << 8);
            }
        }

        throw new InvalidDataException("JPEG: entropy-coded data holds a bit pattern that is no code of its Huffman table");
    }

    /// <summary>
    /// Fills the entries of every prefix that starts with <paramref name="code"/>. Where the category's additional bits
    /// also fit in the prefix, each entry gets its own difference (F.2.2.1 EXTEND; H.2: SSSS = 16 means 32768 and has no
    /// additional bits).
    /// </summary>
    private void FillLookup(int code, int length, byte category)
    {
        var spare = LookupBits - length;
        var first = code << spare;
        var entries = Lookup.AsSpan(first, 1 << spare);
        var additional = category == 16 ? 0 : category;
        if (category > 16 || additional > spare)
        {
            entries.Fill(length | (category << 8));
            return;
        }

        for (var i = 0; i < entries.Length; i++)
        {
            var bits = i >> (spare - additional);
            var difference = category switch
            {
                0 => 0,
                16 => 32768,
                _ => bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits,
            };
            // 32768 << 16 reads back as −32768, the same value modulo 2^16, which is all the decoder uses (H.2.2).
            entries[i] = (difference << 16) | Complete | (length + additional);
        }
    }
}
