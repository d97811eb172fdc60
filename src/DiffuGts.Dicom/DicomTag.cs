using System.Globalization;

namespace DiffuGts.Dicom;

/// <summary>
/// A data element tag: group and element number (PS3.5 §7.1). Tags order by group, then element, which is the order
/// elements take inside a dataset (PS3.5 §7.1). Private tags have an odd group (PS3.5 §7.8).
/// </summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>(FFFE,E000) Item (PS3.5 §7.5).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>(FFFE,E00D) Item Delimitation Item (PS3.5 §7.5.2).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);

    /// <summary>(FFFE,E0DD) Sequence Delimitation Item (PS3.5 §7.5.2).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    public DicomTag(uint value)
        : this((ushort)(value >> 16), (ushort)value)
    {
    }

    /// <summary>The tag as one 32-bit number, group in the high half.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Odd groups other than 0001, 0003, 0005, 0007 and FFFF are private (PS3.5 §7.8.1).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>A private creator element (gggg,0010-00FF) reserves the block (gggg,xx00-xxFF) (PS3.5 §7.8.1).</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>The creator element that reserves this private data element's block, e.g. (0029,1008) → (0029,0010).</summary>
    public DicomTag? PrivateCreatorTag =>
        IsPrivate && Element >= 0x1000 ? new DicomTag(Group, (ushort)(Element >> 8)) : null;

    /// <summary>Group length elements (gggg,0000) (PS3.5 §7.2).</summary>
    public bool IsGroupLength => Element == 0x0000;

    /// <summary>Item, item delimitation and sequence delimitation tags (group FFFE) carry no VR (PS3.5 §7.5).</summary>
    public bool IsItemOrDelimiter => Group == 0xFFFE;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.CompareTo(right) < 0;

    public static bool operator >(DicomTag left, DicomTag right) => left.CompareTo(right) > 0;

    public static bool operator <=(DicomTag left, DicomTag right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DicomTag left, DicomTag right) => left.CompareTo(right) >= 0;

    /// <summary>Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee" (hexadecimal).</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var tag) ? tag : throw new FormatException($"'{text}' is not a DICOM tag (expected (gggg,eeee))");
    }

    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            s = s[1..^1];
        }

        string g, e;
        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma == 4 && s.Length == 9)
        {
            (g, e) = (s[..4], s[5..]);
        }
        else if (comma < 0 && s.Length == 8)
        {
            (g, e) = (s[..4], s[4..]);
        }
        else
        {
            return false;
        }

        if (ushort.TryParse(g, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var group)
            && ushort.TryParse(e, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var element))
        {
            tag = new DicomTag(group, element);
            return true;
        }

        return false;
    }

    /// <summary>"(gggg,eeee)" in upper-case hexadecimal, the form PS3.6 and dcmdump use.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}
