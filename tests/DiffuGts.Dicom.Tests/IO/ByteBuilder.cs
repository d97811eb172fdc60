using System.Buffers.Binary;
using System.Text;

namespace DiffuGts.Dicom.Tests.IO;

/// <summary>Hand-assembles element bytes (PS3.5 §7.1) for reader tests, including deliberately broken ones.</summary>
internal sealed class ByteBuilder
{
    private readonly List<byte> bytes = [];

    public int Length => bytes.Count;

    /// <summary>A Part 10 header: preamble, DICM and a minimal group 0002 naming the transfer syntax.</summary>
    public static ByteBuilder Part10(string transferSyntaxUid)
    {
        var b = new ByteBuilder();
        b.Raw(new byte[128]).Raw("DICM"u8.ToArray());
        var uid = Encoding.ASCII.GetBytes(transferSyntaxUid.Length % 2 == 1 ? transferSyntaxUid + "\0" : transferSyntaxUid);
        b.Explicit(0x0002, 0x0000, "UL", [.. BitConverter.GetBytes((uint)(8 + uid.Length))]);
        b.Explicit(0x0002, 0x0010, "UI", uid);
        return b;
    }

    public ByteBuilder Raw(params byte[] data)
    {
        bytes.AddRange(data);
        return this;
    }

    public ByteBuilder Tag(ushort group, ushort element)
    {
        Span<byte> t = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(t, group);
        BinaryPrimitives.WriteUInt16LittleEndian(t[2..], element);
        bytes.AddRange(t.ToArray());
        return this;
    }

    public ByteBuilder UInt32(uint value)
    {
        bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    /// <summary>Explicit VR little endian element with its real length (or <paramref name="length"/> to lie).</summary>
    public ByteBuilder Explicit(ushort group, ushort element, string vr, byte[] value, uint? length = null)
    {
        Tag(group, element);
        bytes.AddRange(Encoding.ASCII.GetBytes(vr));
        var vrInfo = DicomVR.Parse(vr);
        if (vrInfo.HasLongLength)
        {
            bytes.AddRange([0, 0]);
            UInt32(length ?? (uint)value.Length);
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes((ushort)(length ?? (uint)value.Length)));
        }

        bytes.AddRange(value);
        return this;
    }

    public ByteBuilder ExplicitText(ushort group, ushort element, string vr, string text) =>
        Explicit(group, element, vr, Encoding.ASCII.GetBytes(text.Length % 2 == 1 ? text + (vr == "UI" ? "\0" : " ") : text));

    /// <summary>An SQ header with undefined length (FFFFFFFF).</summary>
    public ByteBuilder SequenceStart(ushort group, ushort element) => Tag(group, element).Raw((byte)'S', (byte)'Q', 0, 0).UInt32(0xFFFFFFFF);

    public ByteBuilder ItemStart(uint length = 0xFFFFFFFF) => Tag(0xFFFE, 0xE000).UInt32(length);

    public ByteBuilder ItemEnd() => Tag(0xFFFE, 0xE00D).UInt32(0);

    public ByteBuilder SequenceEnd() => Tag(0xFFFE, 0xE0DD).UInt32(0);

    public byte[] ToArray() => [.. bytes];
}
