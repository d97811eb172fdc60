using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Tests.Codecs;
using DiffuGts.Testing;

namespace DiffuGts.Benchmarks;

/// <summary>A synthetic CT slice (disc of tissue with noise on air) in native, RLE and JPEG lossless (SV1) form.</summary>
internal sealed record CodecWorkload(PixelFrameInfo Info, byte[] Native, byte[] Rle, byte[] Jpeg)
{
    public static CodecWorkload CtSlice(int rows, int columns, int seed)
    {
        var info = new PixelFrameInfo(rows, columns, 1, 16, 12, 0, 0);
        var native = SyntheticCtSlice.Pixels(rows, columns, seed);
        var plane = new ushort[rows * columns];
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = BinaryPrimitives.ReadUInt16LittleEndian(native.AsSpan(2 * i));
        }

        // The test encoder's fixed table is not optimal for CT, so this stream is somewhat larger than DCMTK's.
        var jpeg = JpegLosslessTestEncoder.Encode([plane], rows, columns, new JpegLosslessEncoding(16, 1));
        return new CodecWorkload(info, native, RleLosslessCodec.EncodeFrame(native, info), jpeg);
    }
}
