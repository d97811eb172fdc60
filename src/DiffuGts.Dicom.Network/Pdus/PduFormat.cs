using System.Buffers.Binary;
using System.Text;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>Shared field rules of PS3.8 §9.3: big-endian integers, AE titles of 16 bytes, unpadded UIDs.</summary>
internal static class PduFormat
{
    public const int AeTitleLength = 16;

    public static void RequireLength(ReadOnlySpan<byte> body, int expected, string pdu)
    {
        if (body.Length != expected)
        {
            throw new DicomProtocolException($"{pdu} PDU length is {body.Length}, expected {expected}");
        }
    }

    /// <summary>PS3.8 §9.3.2: AE titles are 16 bytes, space padded; leading and trailing spaces are not significant.</summary>
    public static string ReadAeTitle(ReadOnlySpan<byte> field) => Encoding.ASCII.GetString(field).Trim(' ', '\0');

    /// <summary>
    /// PS3.5 Table 6.2-1 (VR AE): 1-16 characters of the default repertoire without backslash or control characters,
    /// not only spaces. A peer's AE title that fails this (read from the wire as-is) is answered like an unknown one.
    /// </summary>
    public static bool IsValidAeTitle(string aeTitle) =>
        aeTitle.Length is > 0 and <= AeTitleLength
        && !string.IsNullOrWhiteSpace(aeTitle)
        && aeTitle.All(c => c is >= ' ' and < (char)0x7F and not '\\');

    public static void WriteAeTitle(Span<byte> destination, string aeTitle)
    {
        if (!IsValidAeTitle(aeTitle))
        {
            throw new ArgumentException(
                $"AE title '{aeTitle}' must be 1-16 characters of the default repertoire, not only spaces, without backslash or control characters",
                nameof(aeTitle));
        }

        destination[..AeTitleLength].Fill((byte)' ');
        Encoding.ASCII.GetBytes(aeTitle, destination);
    }

    /// <summary>dicom-facts §6.1: UIDs in items are not padded, but a trailing NUL or space from a peer is tolerated.</summary>
    public static string ReadUid(ReadOnlySpan<byte> field) => Encoding.ASCII.GetString(field).TrimEnd('\0', ' ');
}

/// <summary>Sequential big-endian writer over a span; the caller computed the exact size first.</summary>
internal ref struct PduSpanWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public PduSpanWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public void Byte(byte value) => _span[_position++] = value;

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void Ascii(string value) => _position += Encoding.ASCII.GetBytes(value, _span[_position..]);

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    public void Zeros(int count)
    {
        _span.Slice(_position, count).Clear();
        _position += count;
    }

    /// <summary>Item header (PS3.8 §9.3.2.x): type, reserved, 2-byte length.</summary>
    public void ItemHeader(byte type, int length)
    {
        if (length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "item longer than 65535 bytes");
        }

        Byte(type);
        Byte(0);
        UInt16((ushort)length);
    }

    /// <summary>An item whose whole value is one ASCII string (application context, abstract/transfer syntax, UIDs).</summary>
    public void StringItem(byte type, string value)
    {
        ItemHeader(type, value.Length);
        Ascii(value);
    }
}

/// <summary>Sequential big-endian reader that raises <see cref="DicomProtocolException"/> on truncation.</summary>
internal ref struct PduSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly string _what;
    private int _position;

    public PduSpanReader(ReadOnlySpan<byte> span, string what)
    {
        _span = span;
        _what = what;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public readonly int Position => _position;

    public byte Byte()
    {
        Need(1);
        return _span[_position++];
    }

    public ushort UInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    public uint UInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        Need(count);
        var value = _span.Slice(_position, count);
        _position += count;
        return value;
    }

    public void Skip(int count) => Bytes(count);

    /// <summary>Reads an item header and returns its type and value.</summary>
    public ReadOnlySpan<byte> Item(out byte type)
    {
        type = Byte();
        Skip(1);
        var length = UInt16();
        return Bytes(length);
    }

    private readonly void Need(int count)
    {
        if (count > Remaining)
        {
            throw new DicomProtocolException(
                $"{_what}: need {count} bytes at offset {_position}, {Remaining} left", AbortReason.InvalidPduParameterValue);
        }
    }
}
