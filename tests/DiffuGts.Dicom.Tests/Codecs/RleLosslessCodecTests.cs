using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

public sealed class RleLosslessCodecTests
{
    private static readonly RleLosslessCodec Codec = new();

    [Fact]
    public void DecodeFrame_HandMadeSegment_ExpandsReplicateLiteralAndNoOpRuns()
    {
        // One segment: -2 → repeat 5 three times; -128 → no-op; 2 → three literal bytes 1 2 3.
        var frame = Frame([[0xFE, 0x05, 0x80, 0x02, 0x01, 0x02, 0x03, 0x00]]);
        var destination = new byte[6];

        Codec.DecodeFrame(frame, new PixelFrameInfo(2, 3, 1, 8, 8, 0, 0), destination);

        Assert.Equal(new byte[] { 5, 5, 5, 1, 2, 3 }, destination);
    }

    [Fact]
    public void DecodeFrame_SixteenBit_FirstSegmentIsTheMostSignificantByte()
    {
        // Two pixels 0x1234 and 0x12FF: segment 1 = high bytes (0x12 ×2), segment 2 = low bytes (0x34, 0xFF).
        var frame = Frame([[0xFF, 0x12], [0x01, 0x34, 0xFF, 0x80]]);
        var destination = new byte[4];

        Codec.DecodeFrame(frame, new PixelFrameInfo(1, 2, 1, 16, 16, 0, 0), destination);

        Assert.Equal(new byte[] { 0x34, 0x12, 0xFF, 0x12 }, destination);
    }

    [Theory]
    [InlineData(1, 8, 0)]
    [InlineData(1, 16, 0)]
    [InlineData(1, 32, 0)]
    [InlineData(3, 8, 0)]
    [InlineData(3, 8, 1)]
    [InlineData(3, 16, 1)]
    public void EncodeFrame_ThenDecode_ReturnsTheSameBytes(int samplesPerPixel, int bitsAllocated, int planar)
    {
        var info = new PixelFrameInfo(37, 300, samplesPerPixel, bitsAllocated, bitsAllocated, 0, planar);
        var original = RunsAndNoise(info.FrameLength, seed: (samplesPerPixel * 100) + bitsAllocated + planar);

        var encoded = RleLosslessCodec.EncodeFrame(original, info);
        var decoded = new byte[info.FrameLength];
        Codec.DecodeFrame(encoded, info, decoded);

        Assert.Equal(original, decoded);
        Assert.Equal(0, encoded.Length % 2);
        Assert.Equal((uint)(samplesPerPixel * bitsAllocated / 8), BinaryPrimitives.ReadUInt32LittleEndian(encoded));
    }

    [Fact]
    public void EncodeFrame_ConstantRows_CodesEachRowSeparately()
    {
        // G.3.1: runs never cross a row. A 200-byte constant row is a 128-run and a 72-run (4 bytes), so three rows
        // take 12 bytes; runs across rows would take 10.
        var info = new PixelFrameInfo(3, 200, 1, 8, 8, 0, 0);

        var encoded = RleLosslessCodec.EncodeFrame(new byte[600], info);

        Assert.Equal(64 + 12, encoded.Length);
    }

    [Fact]
    public void EncodeFrame_ConstantCtSlice_CompressesToUnderTwoPercent()
    {
        var info = new PixelFrameInfo(512, 512, 1, 16, 12, 0, 0);
        var slice = new byte[info.FrameLength];
        for (var i = 0; i < slice.Length; i += 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(slice.AsSpan(i), 1024);
        }

        var encoded = RleLosslessCodec.EncodeFrame(slice, info);

        Assert.True(encoded.Length < slice.Length / 50, $"{encoded.Length} bytes for a {slice.Length}-byte constant slice");
    }

    public static TheoryData<string, string> CorruptFrames() => new()
    {
        { Hex([0x01, 0, 0, 0]), "shorter than the 64-byte header" },
        { Hex(Frame([[0xFE, 0x05], [0xFE, 0x05]])), "declares 2 segments" },
        { Hex(WithOffset(Frame([[0xFE, 0x05, 0x02, 0x01, 0x02, 0x03]]), 0, 500)), "offset 500" },
        { Hex(WithOffset(Frame([[0xFE, 0x05, 0x02, 0x01, 0x02, 0x03]]), 0, 12)), "offset 12" },
        { Hex(Frame([[0xFE, 0x05]])), "ends after 3 of 6" },
        { Hex(Frame([[0xF9, 0x05]])), "more than the 6 bytes" },
        { Hex(Frame([[0x09, 0x01, 0x02]])), "passes the end" },
        { Hex(Frame([[0x01, 0x01, 0x02, 0xFE]])), "no byte to repeat" },
    };

    [Theory]
    [MemberData(nameof(CorruptFrames))]
    public void DecodeFrame_CorruptFrame_ThrowsInvalidDataNamingTheProblem(string hex, string expectedInMessage)
    {
        var frame = Convert.FromHexString(hex);

        var error = Assert.Throws<InvalidDataException>(
            () => Codec.DecodeFrame(frame, new PixelFrameInfo(2, 3, 1, 8, 8, 0, 0), new byte[6]));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A frame: the G.5 header with offsets, then the segments as given (already padded or not).</summary>
    internal static byte[] Frame(byte[][] segments)
    {
        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments.Length);
        var offset = 64;
        for (var i = 0; i < segments.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (4 * i)), (uint)offset);
            offset += segments[i].Length;
        }

        return [.. header, .. segments.SelectMany(s => s)];
    }

    internal static byte[] RunsAndNoise(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        var i = 0;
        while (i < length)
        {
            var run = Math.Min(length - i, random.Next(1, 300));
            if (random.Next(2) == 0)
            {
                bytes.AsSpan(i, run).Fill((byte)random.Next(256));
            }
            else
            {
                random.NextBytes(bytes.AsSpan(i, run));
            }

            i += run;
        }

        return bytes;
    }

    private static byte[] WithOffset(byte[] frame, int segment, uint offset)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4 + (4 * segment)), offset);
        return frame;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
