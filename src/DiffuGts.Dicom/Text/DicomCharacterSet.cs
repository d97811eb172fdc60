using System.Text;

namespace DiffuGts.Dicom.Text;

/// <summary>
/// The character repertoire named by Specific Character Set (0008,0005) (PS3.3 C.12.1.1.2, PS3.5 §6.1). It decodes and
/// encodes the values of SH, LO, ST, LT, PN, UC and UT. Single-byte and multi-byte terms without code extensions map to
/// one .NET encoding; ISO 2022 terms (PS3.5 §6.1.2.5) are decoded segment by segment, following the escape sequences.
/// A term that is not a defined term is kept in <see cref="UnknownTerms"/> and decoded as the default repertoire: it is
/// a diagnostic, never a failure.
/// </summary>
public sealed class DicomCharacterSet
{
    private const byte Escape = 0x1B;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // PS3.5 §6.1: most repertoires are ISO 8859 parts or East Asian code pages; .NET ships them in CodePages. Registered
    // by the first static initialiser, before any encoding below is looked up.
    private static readonly bool CodePagesRegistered = RegisterCodePages();

    /// <summary>Defined terms of PS3.3 Table C.12-2, C.12-3, C.12-4 and C.12-5, keyed by <see cref="Normalize"/>.</summary>
    private static readonly Dictionary<string, CodeElement> DefinedTerms = new(StringComparer.Ordinal)
    {
        ["ISOIR6"] = CodeElement.Ascii,
        ["ISOIR100"] = CodeElement.G1(28591),
        ["ISOIR101"] = CodeElement.G1(28592),
        ["ISOIR109"] = CodeElement.G1(28593),
        ["ISOIR110"] = CodeElement.G1(28594),
        ["ISOIR144"] = CodeElement.G1(28595),
        ["ISOIR127"] = CodeElement.G1(28596),
        ["ISOIR126"] = CodeElement.G1(28597),
        ["ISOIR138"] = CodeElement.G1(28598),
        ["ISOIR148"] = CodeElement.G1(28599),
        ["ISOIR203"] = CodeElement.G1(28605),
        ["ISOIR13"] = CodeElement.G1(932),
        ["ISOIR166"] = CodeElement.G1(874),
        ["ISOIR192"] = CodeElement.G1(65001),
        ["GB18030"] = CodeElement.G1(54936),
        ["GBK"] = CodeElement.G1(936),
        ["ISO2022IR6"] = CodeElement.Ascii,
        ["ISO2022IR100"] = CodeElement.G1(28591),
        ["ISO2022IR101"] = CodeElement.G1(28592),
        ["ISO2022IR109"] = CodeElement.G1(28593),
        ["ISO2022IR110"] = CodeElement.G1(28594),
        ["ISO2022IR144"] = CodeElement.G1(28595),
        ["ISO2022IR127"] = CodeElement.G1(28596),
        ["ISO2022IR126"] = CodeElement.G1(28597),
        ["ISO2022IR138"] = CodeElement.G1(28598),
        ["ISO2022IR148"] = CodeElement.G1(28599),
        ["ISO2022IR203"] = CodeElement.G1(28605),
        ["ISO2022IR13"] = CodeElement.G1(932),
        ["ISO2022IR166"] = CodeElement.G1(874),
        ["ISO2022IR87"] = CodeElement.Ascii,
        ["ISO2022IR159"] = CodeElement.Ascii,
        ["ISO2022IR149"] = CodeElement.G1(51949),
        ["ISO2022IR58"] = CodeElement.G1(936),
    };

    private readonly Encoding primary;
    private readonly CodeElement initial;
    private readonly bool usesCodeExtensions;
    private readonly bool isDefault;

    private DicomCharacterSet(IReadOnlyList<string> terms)
    {
        Terms = terms;
        var unknown = new List<string>();
        var first = terms.Count > 0 ? terms[0].Trim() : "";
        isDefault = first.Length == 0 || Normalize(first) is "ISOIR6" or "ISO2022IR6";
        usesCodeExtensions = terms.Count > 1 || first.StartsWith("ISO 2022", StringComparison.OrdinalIgnoreCase);
        foreach (var term in terms)
        {
            var t = term.Trim();
            if (t.Length > 0 && !DefinedTerms.ContainsKey(Normalize(t)))
            {
                unknown.Add(t);
            }
        }

        UnknownTerms = unknown;
        initial = first.Length > 0 && DefinedTerms.TryGetValue(Normalize(first), out var code) ? code : CodeElement.Ascii;
        primary = initial.Encoding;
    }

    /// <summary>The default repertoire, ISO-IR 6 (ASCII), used when (0008,0005) is absent.</summary>
    public static DicomCharacterSet Default { get; } = new([]);

    /// <summary>ISO_IR 192: UTF-8, the repertoire our writers use for non-ASCII text.</summary>
    public static DicomCharacterSet Utf8 { get; } = new(["ISO_IR 192"]);

    /// <summary>The values of (0008,0005) this set was made from.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Values that are not defined terms of PS3.3 C.12.1.1.2; text is decoded as the default repertoire instead.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0 || (terms.Count == 1 && terms[0].Trim().Length == 0))
        {
            return Default;
        }

        return new DicomCharacterSet(terms);
    }

    /// <summary>Decodes a character-set-affected value (padding is left for the caller to trim).</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (isDefault && !usesCodeExtensions)
        {
            return DecodeDefault(bytes);
        }

        return usesCodeExtensions && bytes.Contains(Escape) ? DecodeIso2022(bytes) : primary.GetString(bytes);
    }

    /// <summary>Encodes text in this repertoire; characters it cannot represent raise <see cref="ArgumentException"/>.</summary>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return Encoding.ASCII.GetBytes(text);
        }

        var strict = Encoding.GetEncoding(primary.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
        try
        {
            return strict.GetBytes(text);
        }
        catch (EncoderFallbackException) when (usesCodeExtensions && Terms.Any(t => Normalize(t) == "ISO2022IR87"))
        {
            // PS3.5 §6.1.2.5.3: JIS X 0208 is designated to G0 with ESC $ B and released with ESC ( B, as ISO-2022-JP does.
            return Encoding.GetEncoding(50220).GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException(
                $"'{text}' has characters outside Specific Character Set '{string.Join('\\', Terms)}'; use ISO_IR 192 (UTF-8)", nameof(text), ex);
        }
    }

    public override string ToString() => Terms.Count == 0 ? "ISO_IR 6 (default)" : string.Join('\\', Terms);

    /// <summary>The default repertoire is ASCII; files in the wild put UTF-8 or Latin-1 there, so decode those without loss.</summary>
    private static string DecodeDefault(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes))
        {
            return Encoding.ASCII.GetString(bytes);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>PS3.5 §6.1.2.5: escape sequences switch G0 or G1; each run between escapes is decoded with the active set.</summary>
    private string DecodeIso2022(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var g0 = CodeElement.Ascii;
        var g1 = initial;
        var i = 0;
        while (i < bytes.Length)
        {
            if (bytes[i] == Escape)
            {
                var consumed = EscapeSequences.Match(bytes[i..], out var designated);
                if (consumed == 0)
                {
                    i++;
                    continue;
                }

                if (designated!.IsG0)
                {
                    g0 = designated;
                }
                else
                {
                    g1 = designated;
                }

                i += consumed;
                continue;
            }

            var end = bytes[i..].IndexOf(Escape);
            var run = end < 0 ? bytes[i..] : bytes.Slice(i, end);
            text.Append(DecodeRun(run, g0, g1));
            i += run.Length;
        }

        return text.ToString();
    }

    private static string DecodeRun(ReadOnlySpan<byte> run, CodeElement g0, CodeElement g1)
    {
        if (g0.IsTwoByteG0)
        {
            // JIS X 0208 / 0212 in G0 are 7-bit byte pairs; setting the high bit gives EUC-JP, which .NET decodes.
            var euc = new byte[run.Length + (g0.EucPrefix != 0 ? run.Length / 2 : 0)];
            var n = 0;
            for (var k = 0; k < run.Length; k++)
            {
                if (g0.EucPrefix != 0 && k % 2 == 0)
                {
                    euc[n++] = g0.EucPrefix;
                }

                euc[n++] = (byte)(run[k] | 0x80);
            }

            return g0.Encoding.GetString(euc, 0, n);
        }

        return g1.Encoding.GetString(run);
    }

    private static bool RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }

    /// <summary>Upper case, without spaces, hyphens or underscores: tolerates "ISO-IR 100" and "ISO_IR100" (fo-dicom ChangeLog).</summary>
    private static string Normalize(string term)
    {
        var sb = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not (' ' or '_' or '-'))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }

        return sb.ToString();
    }


    /// <summary>A graphic character set that an escape sequence can designate, with the .NET encoding that decodes it.</summary>
    private sealed class CodeElement(Encoding encoding, bool isG0, bool isTwoByteG0, byte eucPrefix)
    {
        public static readonly CodeElement Ascii = new(Encoding.ASCII, isG0: true, isTwoByteG0: false, eucPrefix: 0);

        public Encoding Encoding { get; } = encoding;

        public bool IsG0 { get; } = isG0;

        public bool IsTwoByteG0 { get; } = isTwoByteG0;

        /// <summary>EUC-JP puts JIS X 0212 behind the single-shift byte 0x8F.</summary>
        public byte EucPrefix { get; } = eucPrefix;

        public static CodeElement G1(int codePage) => new(Encoding.GetEncoding(codePage), isG0: false, isTwoByteG0: false, eucPrefix: 0);

        public static CodeElement TwoByteG0(byte eucPrefix) =>
            new(Encoding.GetEncoding(51932), isG0: true, isTwoByteG0: true, eucPrefix);
    }

    /// <summary>The escape sequences of PS3.3 Tables C.12-3 and C.12-4.</summary>
    private static class EscapeSequences
    {
        private static readonly (byte[] Sequence, CodeElement Element)[] Known =
        [
            ([0x1B, 0x28, 0x42], CodeElement.Ascii),
            ([0x1B, 0x28, 0x4A], CodeElement.Ascii),
            ([0x1B, 0x29, 0x49], CodeElement.G1(932)),
            ([0x1B, 0x24, 0x42], CodeElement.TwoByteG0(0)),
            ([0x1B, 0x24, 0x28, 0x44], CodeElement.TwoByteG0(0x8F)),
            ([0x1B, 0x2D, 0x41], CodeElement.G1(28591)),
            ([0x1B, 0x2D, 0x42], CodeElement.G1(28592)),
            ([0x1B, 0x2D, 0x43], CodeElement.G1(28593)),
            ([0x1B, 0x2D, 0x44], CodeElement.G1(28594)),
            ([0x1B, 0x2D, 0x4C], CodeElement.G1(28595)),
            ([0x1B, 0x2D, 0x47], CodeElement.G1(28596)),
            ([0x1B, 0x2D, 0x46], CodeElement.G1(28597)),
            ([0x1B, 0x2D, 0x48], CodeElement.G1(28598)),
            ([0x1B, 0x2D, 0x4D], CodeElement.G1(28599)),
            ([0x1B, 0x2D, 0x54], CodeElement.G1(874)),
            ([0x1B, 0x2D, 0x62], CodeElement.G1(28605)),
            ([0x1B, 0x24, 0x29, 0x43], CodeElement.G1(51949)),
            ([0x1B, 0x24, 0x29, 0x41], CodeElement.G1(936)),
        ];

        /// <summary>The length of the escape sequence at the start of <paramref name="bytes"/>, or 0 when none is known.</summary>
        public static int Match(ReadOnlySpan<byte> bytes, out CodeElement? element)
        {
            foreach (var (sequence, code) in Known)
            {
                if (bytes.StartsWith(sequence))
                {
                    element = code;
                    return sequence.Length;
                }
            }

            element = null;
            return 0;
        }
    }
}
