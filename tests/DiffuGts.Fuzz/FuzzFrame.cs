using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;

namespace DiffuGts.Fuzz;

/// <summary>
/// The input of a codec fuzz target: an 8-byte envelope that says what the frame is (so the fuzzer explores frame
/// geometry as well as the compressed bytes), then the compressed frame.
/// </summary>
internal static class FuzzFrame
{
    public const int EnvelopeLength = 8;

    /// <summary>Larger frames only slow the fuzzer down without reaching new code.</summary>
    private const int MaxPixels = 1 << 16;

    /// <summary>Rows (u16 LE), Columns (u16 LE), flags (bit 0: three samples, bit 1: 16 bits, bit 2: signed, bit 3: planar), Bits Stored, 2 spare.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, out PixelFrameInfo info, out ReadOnlySpan<byte> frame)
    {
        info = default;
        frame = default;
        if (input.Length < EnvelopeLength)
        {
            return false;
        }

        int rows = BinaryPrimitives.ReadUInt16LittleEndian(input);
        int columns = BinaryPrimitives.ReadUInt16LittleEndian(input[2..]);
        var flags = input[4];
        var bitsAllocated = (flags & 2) != 0 ? 16 : 8;
        var bitsStored = Math.Clamp((int)input[5], 1, bitsAllocated);
        if (rows == 0 || columns == 0 || (long)rows * columns > MaxPixels)
        {
            return false;
        }

        info = new PixelFrameInfo(rows, columns, (flags & 1) != 0 ? 3 : 1, bitsAllocated, bitsStored, (flags >> 2) & 1, (flags >> 3) & 1);
        frame = input[EnvelopeLength..];
        return true;
    }

    public static byte[] Write(PixelFrameInfo info, ReadOnlySpan<byte> frame)
    {
        var bytes = new byte[EnvelopeLength + frame.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)info.Rows);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)info.Columns);
        bytes[4] = (byte)((info.SamplesPerPixel == 3 ? 1 : 0) | (info.BitsAllocated == 16 ? 2 : 0)
            | (info.PixelRepresentation << 2) | (info.PlanarConfiguration << 3));
        bytes[5] = (byte)info.BitsStored;
        frame.CopyTo(bytes.AsSpan(EnvelopeLength));
        return bytes;
    }
}
