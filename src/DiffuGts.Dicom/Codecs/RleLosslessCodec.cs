using System.Buffers.Binary;

namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// RLE Lossless (PS3.5 Annex G, transfer syntax 1.2.840.10008.1.2.5). A frame is a 64-byte header (G.5: the number of
/// segments, then 15 UL segment offsets) followed by byte segments, each one byte plane of one sample, most significant
/// byte first (G.2: for 16-bit RGB the order is R-high, R-low, G-high, …). Each segment is PackBits coded (G.3.1).
/// </summary>
public sealed partial class RleLosslessCodec : IPixelCodec
{
    /// <summary>RLE Lossless (PS3.5 A.4.2).</summary>
    public const string Uid = "1.2.840.10008.1.2.5";

    /// <summary>G.5: the header is 16 UL values.</summary>
    internal const int HeaderLength = 64;

    /// <summary>G.5: at most 15 segments.</summary>
    internal const int MaxSegments = 15;

    private const string Name = "RLE Lossless";

    public string TransferSyntaxUid => Uid;

    public void DecodeFrame(ReadOnlySpan<byte> compressed, PixelFrameInfo info, Span<byte> destination)
    {
        var frameLength = PixelFrameLayout.Validate(info, destination.Length, Name);
        var bytesPerSample = info.BitsAllocated / 8;
        var segmentCount = info.SamplesPerPixel * bytesPerSample;
        var pixelCount = info.Rows * info.Columns;

        if (compressed.Length < HeaderLength)
        {
            throw new InvalidDataException($"{Name}: frame is {compressed.Length} bytes, shorter than the 64-byte header (PS3.5 G.5)");
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(compressed);
        if (declared != (uint)segmentCount)
        {
            throw new InvalidDataException(
                $"{Name}: header declares {declared} segments; {info.SamplesPerPixel} sample(s) of {info.BitsAllocated} bits need {segmentCount}");
        }

        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (var i = 0; i < segmentCount; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(compressed[(4 + (4 * i))..]);
            var lowest = i == 0 ? HeaderLength : offsets[i - 1];
            if (offset < (uint)lowest || offset > (uint)compressed.Length)
            {
                throw new InvalidDataException(
                    $"{Name}: segment {i + 1} offset {offset} is outside {lowest}..{compressed.Length} (PS3.5 G.5)");
            }

            offsets[i] = (int)offset;
        }

        offsets[segmentCount] = compressed.Length;
        var frame = destination[..frameLength];
        for (var segment = 0; segment < segmentCount; segment++)
        {
            // G.2: segment k holds byte (k mod bytesPerSample) of sample (k div bytesPerSample), most significant first;
            // the decoded frame is little-endian, so that byte lands at the opposite end of the sample.
            var sample = segment / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            int start, stride;
            if (info.PlanarConfiguration == 0)
            {
                start = (sample * bytesPerSample) + byteInSample;
                stride = info.SamplesPerPixel * bytesPerSample;
            }
            else
            {
                start = (sample * pixelCount * bytesPerSample) + byteInSample;
                stride = bytesPerSample;
            }

            var data = compressed[offsets[segment]..offsets[segment + 1]];
            PackBits.Decode(data, frame[start..], stride, pixelCount, segment + 1);
        }
    }
}
