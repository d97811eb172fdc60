using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DiffuGts.Dicom.Codecs;

public sealed partial class RleLosslessCodec
{
    /// <summary>
    /// Encodes one native little-endian frame as an RLE Lossless frame (PS3.5 G.3.1, G.5): one segment per byte plane,
    /// most significant first, each row coded separately and each segment padded to even length. The result is the
    /// frame's single fragment (PS3.5 A.4.2: one fragment per frame), its length even.
    /// </summary>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> frame, PixelFrameInfo info)
    {
        var frameLength = PixelFrameLayout.Validate(info, int.MaxValue, Name);
        if (frame.Length < frameLength)
        {
            throw new ArgumentException($"{Name}: frame holds {frame.Length} bytes, {frameLength} are needed", nameof(frame));
        }

        var bytesPerSample = info.BitsAllocated / 8;
        var segmentCount = info.SamplesPerPixel * bytesPerSample;
        var pixelCount = info.Rows * info.Columns;
        var output = new List<byte>(HeaderLength + frameLength + (frameLength / 64));
        CollectionsMarshal.SetCount(output, HeaderLength);
        Span<int> offsets = stackalloc int[MaxSegments];
        var row = new byte[info.Columns];

        for (var segment = 0; segment < segmentCount; segment++)
        {
            offsets[segment] = output.Count;
            var sample = segment / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            var pixelStride = info.PlanarConfiguration == 0 ? info.SamplesPerPixel * bytesPerSample : bytesPerSample;
            var planeStart = info.PlanarConfiguration == 0
                ? (sample * bytesPerSample) + byteInSample
                : (sample * pixelCount * bytesPerSample) + byteInSample;

            for (var y = 0; y < info.Rows; y++)
            {
                var source = planeStart + (y * info.Columns * pixelStride);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = frame[source + (x * pixelStride)];
                }

                PackBits.EncodeRow(row, output);
            }

            if ((output.Count & 1) != 0)
            {
                // G.3.1 pads a segment to even length; -128 is the run code that means "no operation".
                output.Add(0x80);
            }
        }

        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)segmentCount);
        for (var i = 0; i < segmentCount; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4 + (4 * i)), (uint)offsets[i]);
        }

        return result;
    }
}
