using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Tests.Codecs;

namespace DiffuGts.Benchmarks;

/// <summary>A synthetic CT slice (disc of tissue with noise on air) in native, RLE and JPEG lossless (SV1) form.</summary>
internal sealed record CodecWorkload(PixelFrameInfo Info, byte[] Native, byte[] Rle, byte[] Jpeg)
{
    public static CodecWorkload CtSlice(int rows, int columns, int seed)
    {
        var info = new PixelFrameInfo(rows, columns, 1, 16, 12, 0, 0);
        var random = new Random(seed);
        var plane = new ushort[rows * columns];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var dx = x - (columns / 2);
                var dy = y - (rows / 2);
                var inside = (dx * dx) + (dy * dy) < rows * rows / 6;
                plane[(y * columns) + x] = (ushort)(inside ? 1000 + (x / 4) + random.Next(-30, 31) : random.Next(0, 20));
            }
        }

        var native = new byte[info.FrameLength];
        for (var i = 0; i < plane.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(native.AsSpan(2 * i), plane[i]);
        }

        // The test encoder's fixed table is not optimal for CT, so this stream is somewhat larger than DCMTK's.
        var jpeg = JpegLosslessTestEncoder.Encode([plane], rows, columns, new JpegLosslessEncoding(16, 1));
        return new CodecWorkload(info, native, RleLosslessCodec.EncodeFrame(native, info), jpeg);
    }
}
