namespace DiffuGts.Dicom;

/// <summary>
/// A value representation (PS3.5 §6.2, Table 6.2-1). One instance per VR of the current standard; compare by reference
/// or by <see cref="Code"/>. Properties give what the encoder needs: the explicit-VR header layout (PS3.5 §7.1.2), the
/// padding byte, the maximum length of one value and how the value is interpreted.
/// </summary>
public sealed class DicomVR : IEquatable<DicomVR>
{
    /// <summary>Unlimited lengths are bounded by the 32-bit length field less the undefined-length marker: 2^32 − 2.</summary>
    public const uint UnlimitedLength = 0xFFFFFFFE;

    private const byte Space = 0x20;
    private const byte Nul = 0x00;

    private static readonly Dictionary<string, DicomVR> ByCode = new(StringComparer.Ordinal);

    public static readonly DicomVR AE = String("AE", 16, charsetAffected: false);
    public static readonly DicomVR AS = String("AS", 4, charsetAffected: false);
    public static readonly DicomVR AT = Binary("AT", 4, unitSize: 2);
    public static readonly DicomVR CS = String("CS", 16, charsetAffected: false);
    public static readonly DicomVR DA = String("DA", 8, charsetAffected: false);
    public static readonly DicomVR DS = String("DS", 16, charsetAffected: false);
    public static readonly DicomVR DT = String("DT", 26, charsetAffected: false);
    public static readonly DicomVR FL = Binary("FL", 4, unitSize: 4);
    public static readonly DicomVR FD = Binary("FD", 8, unitSize: 8);
    public static readonly DicomVR IS = String("IS", 12, charsetAffected: false);
    public static readonly DicomVR LO = String("LO", 64, charsetAffected: true);
    public static readonly DicomVR LT = String("LT", 10240, charsetAffected: true, singleValued: true);
    public static readonly DicomVR OB = Binary("OB", UnlimitedLength, unitSize: 1, longLength: true);
    public static readonly DicomVR OD = Binary("OD", UnlimitedLength, unitSize: 8, longLength: true);
    public static readonly DicomVR OF = Binary("OF", UnlimitedLength, unitSize: 4, longLength: true);
    public static readonly DicomVR OL = Binary("OL", UnlimitedLength, unitSize: 4, longLength: true);
    public static readonly DicomVR OV = Binary("OV", UnlimitedLength, unitSize: 8, longLength: true);
    public static readonly DicomVR OW = Binary("OW", UnlimitedLength, unitSize: 2, longLength: true);
    public static readonly DicomVR PN = String("PN", 64, charsetAffected: true);
    public static readonly DicomVR SH = String("SH", 16, charsetAffected: true);
    public static readonly DicomVR SL = Binary("SL", 4, unitSize: 4);
    public static readonly DicomVR SQ = new("SQ", 0, Nul, isString: false, charsetAffected: false, singleValued: true, unitSize: 0, longLength: true);
    public static readonly DicomVR SS = Binary("SS", 2, unitSize: 2);
    public static readonly DicomVR ST = String("ST", 1024, charsetAffected: true, singleValued: true);
    public static readonly DicomVR SV = Binary("SV", 8, unitSize: 8, longLength: true);
    public static readonly DicomVR TM = String("TM", 14, charsetAffected: false);
    public static readonly DicomVR UC = String("UC", UnlimitedLength, charsetAffected: true, longLength: true);
    public static readonly DicomVR UI = new("UI", 64, Nul, isString: true, charsetAffected: false, singleValued: false, unitSize: 0, longLength: false);
    public static readonly DicomVR UL = Binary("UL", 4, unitSize: 4);
    public static readonly DicomVR UN = Binary("UN", UnlimitedLength, unitSize: 1, longLength: true);
    public static readonly DicomVR UR = String("UR", UnlimitedLength, charsetAffected: false, singleValued: true, longLength: true);
    public static readonly DicomVR US = Binary("US", 2, unitSize: 2);
    public static readonly DicomVR UT = String("UT", UnlimitedLength, charsetAffected: true, singleValued: true, longLength: true);
    public static readonly DicomVR UV = Binary("UV", 8, unitSize: 8, longLength: true);

    private DicomVR(string code, uint maxLength, byte paddingByte, bool isString, bool charsetAffected, bool singleValued, int unitSize,
        bool longLength)
    {
        Code = code;
        MaxLength = maxLength;
        PaddingByte = paddingByte;
        IsString = isString;
        IsCharacterSetAffected = charsetAffected;
        IsSingleValued = singleValued;
        UnitSize = unitSize;
        HasLongLength = longLength;
        ByCode.Add(code, this);
    }

    /// <summary>Every VR of the current standard, in alphabetical order.</summary>
    public static IReadOnlyCollection<DicomVR> All => ByCode.Values;

    /// <summary>The two upper-case letters written in explicit-VR headers.</summary>
    public string Code { get; }

    /// <summary>
    /// Largest length of one value: bytes, or characters for LO, LT, PN (per component group), SH, ST (PS3.5 Table 6.2-1).
    /// </summary>
    public uint MaxLength { get; }

    /// <summary>Byte that pads an odd-length value to even length: NUL for UI, OB and the binary VRs, space for text (PS3.5 §6.2).</summary>
    public byte PaddingByte { get; }

    /// <summary>True for character-string VRs (values are bytes of text).</summary>
    public bool IsString { get; }

    /// <summary>True for SH, LO, ST, LT, PN, UC and UT: their bytes are decoded with Specific Character Set (PS3.5 §6.1.2.3).</summary>
    public bool IsCharacterSetAffected { get; }

    /// <summary>LT, ST, UT and UR hold one value and may contain a backslash (PS3.5 §6.4); SQ holds one sequence.</summary>
    public bool IsSingleValued { get; }

    /// <summary>Bytes per binary number (the unit a big-endian transfer syntax swaps); 1 for OB and UN; 0 for strings and SQ.</summary>
    public int UnitSize { get; }

    /// <summary>True for binary numeric VRs (AT, FL, FD, SL, SS, SV, UL, US, UV and the O* VRs).</summary>
    public bool IsBinary => !IsString && this != SQ;

    /// <summary>
    /// True when an explicit-VR header has two reserved bytes and a 32-bit length (OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR,
    /// UT, UV; PS3.5 §7.1.2); otherwise the length is 16 bits.
    /// </summary>
    public bool HasLongLength { get; }

    /// <summary>Bytes of an explicit-VR element header: 12 for long-length VRs, else 8 (PS3.5 Table 7.1-1, 7.1-2).</summary>
    public int ExplicitHeaderLength => HasLongLength ? 12 : 8;

    /// <summary>Looks up a VR by its two letters; false for codes outside the standard.</summary>
    public static bool TryParse(ReadOnlySpan<char> code, out DicomVR vr)
    {
        var lookup = ByCode.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(code, out var found))
        {
            vr = found;
            return true;
        }

        vr = UN;
        return false;
    }

    public static DicomVR Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return TryParse(code, out var vr) ? vr : throw new FormatException($"'{code}' is not a value representation of PS3.5 Table 6.2-1");
    }

    /// <summary>Looks up the VR from the two header bytes of an explicit-VR element.</summary>
    internal static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        Span<char> code = [(char)first, (char)second];
        return TryParse(code, out vr);
    }

    public bool Equals(DicomVR? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Code;

    private static DicomVR String(string code, uint maxLength, bool charsetAffected, bool singleValued = false, bool longLength = false) =>
        new(code, maxLength, Space, isString: true, charsetAffected, singleValued, unitSize: 0, longLength);

    private static DicomVR Binary(string code, uint maxLength, int unitSize, bool longLength = false) =>
        new(code, maxLength, Nul, isString: false, charsetAffected: false, singleValued: false, unitSize, longLength);
}
