using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

public sealed class JpegLosslessCodecTests
{
    private static readonly JpegLosslessCodec Codec = new(JpegLosslessCodec.ProcessFourteenUid);

    [Fact]
    public void DecodeFrame_HandMadeTwoByTwoStream_ReturnsKnownPixels()
    {
        // 2×2, P = 8, predictor 1. Table: three 2-bit codes 00→0, 01→1, 10→2. Samples 128 129 / 127 127:
        // (0,0) 128−2^7 = 0 → "00"; (1,0) 129−Ra = +1 → "01"+"1"; (0,1) 127−Rb = −1 → "01"+"0"; (1,1) 127−Ra = 0 → "00".
        // Bits 00 011 010 00, padded with 1-bits: 0x1A 0x3F.
        byte[] stream =
        [
            0xFF, 0xD8,
            0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x02, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xC4, 0x00, 0x16, 0x00, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x02,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00,
            0x1A, 0x3F,
            0xFF, 0xD9,
        ];
        var destination = new byte[4];

        Codec.DecodeFrame(stream, Gray(2, 2, 8), destination);

        Assert.Equal(new byte[] { 128, 129, 127, 127 }, destination);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void DecodeFrame_EachPredictorOnSixteenBitNoise_ReproducesSamples(int predictor)
    {
        var plane = RandomPlane(13, 17, 16, seed: predictor);
        var stream = JpegLosslessTestEncoder.Encode([plane], 13, 17, new JpegLosslessEncoding(16, predictor));

        var decoded = Decode(stream, Gray(13, 17, 16));

        Assert.Equal(Native16(plane), decoded);
    }

    [Theory]
    [InlineData(2, 8)]
    [InlineData(7, 8)]
    [InlineData(8, 8)]
    [InlineData(12, 16)]
    [InlineData(15, 16)]
    public void DecodeFrame_PrecisionTwoToSixteen_ReproducesSamples(int precision, int bitsAllocated)
    {
        var plane = SmoothPlane(20, 9, precision, seed: precision);
        var stream = JpegLosslessTestEncoder.Encode([plane], 20, 9, new JpegLosslessEncoding(precision, 6));

        var decoded = Decode(stream, Gray(20, 9, bitsAllocated, precision));

        Assert.Equal(bitsAllocated == 8 ? plane.Select(v => (byte)v).ToArray() : Native16(plane), decoded);
    }

    [Fact]
    public void DecodeFrame_DifferencesOf32768_UseCategorySixteenWithoutExtraBits()
    {
        // Starting from the 2^15 default prediction, 0 and 32768 alternate: every difference is ±32768 ≡ 32768 mod 2^16.
        ushort[] plane = [0, 32768, 0, 32768, 0, 32768, 0, 32768];
        var stream = JpegLosslessTestEncoder.Encode([plane], 2, 4, new JpegLosslessEncoding(16, 1));

        var decoded = Decode(stream, Gray(2, 4, 16));

        Assert.Equal(Native16(plane), decoded);
    }

    [Fact]
    public void DecodeFrame_PointTransform_MultipliesBackByTwoToThePt()
    {
        var plane = RandomPlane(8, 8, 12, seed: 3).Select(v => (ushort)(v & ~0b11)).ToArray();
        var stream = JpegLosslessTestEncoder.Encode([plane], 8, 8, new JpegLosslessEncoding(12, 1) { PointTransform = 2 });

        var decoded = Decode(stream, Gray(8, 8, 16, 12));

        Assert.Equal(Native16(plane), decoded);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(22)]
    [InlineData(5)]
    [InlineData(1)]
    public void DecodeFrame_RestartIntervals_ResetPredictionAndDecode(int interval)
    {
        var plane = SmoothPlane(9, 11, 16, seed: interval);
        var stream = JpegLosslessTestEncoder.Encode([plane], 9, 11, new JpegLosslessEncoding(16, 7) { RestartInterval = interval });

        var decoded = Decode(stream, Gray(9, 11, 16));

        Assert.Equal(Native16(plane), decoded);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    public void DecodeFrame_ThreeComponents_WritesRequestedPlanarConfiguration(bool interleaved, int planar)
    {
        ushort[][] planes = [SmoothPlane(6, 7, 8, 1), SmoothPlane(6, 7, 8, 2), SmoothPlane(6, 7, 8, 3)];
        var stream = JpegLosslessTestEncoder.Encode(planes, 6, 7, new JpegLosslessEncoding(8, 1) { Interleaved = interleaved, RestartInterval = 7 });

        var decoded = Decode(stream, new PixelFrameInfo(6, 7, 3, 8, 8, 0, planar));

        var expected = planar == 0
            ? Enumerable.Range(0, 42).SelectMany(i => planes.Select(p => (byte)p[i])).ToArray()
            : planes.SelectMany(p => p.Select(v => (byte)v)).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void DecodeFrame_SignedTwelveBitStored_SignExtendsToSixteenBits()
    {
        var values = Enumerable.Range(0, 64).Select(i => (short)((i * 67 % 4096) - 2048)).ToArray();
        var plane = values.Select(v => (ushort)(v & 0xFFF)).ToArray();
        var stream = JpegLosslessTestEncoder.Encode([plane], 8, 8, new JpegLosslessEncoding(12, 1));

        var decoded = Decode(stream, new PixelFrameInfo(8, 8, 1, 16, 12, 1, 0));

        var expected = new byte[128];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(expected.AsSpan(2 * i), values[i]);
        }

        Assert.Equal(expected, decoded);
    }

    public static TheoryData<string, string> CorruptStreams()
    {
        var valid = JpegLosslessTestEncoder.Encode([SmoothPlane(4, 4, 16, 1)], 4, 4, new JpegLosslessEncoding(16, 1) { RestartInterval = 4 });
        var sof = IndexOfMarker(valid, 0xC3);
        var sos = IndexOfMarker(valid, 0xDA);
        var rst = IndexOfMarker(valid, 0xD0);
        var dht = IndexOfMarker(valid, 0xC4);
        return new TheoryData<string, string>
        {
            { Hex([0x00, 0x01, .. valid[2..]]), "SOI" },
            { Hex(Replace(valid, sof + 1, 0xC0)), "SOF0" },
            { Hex(Replace(valid, sof + 6, 5)), "Rows" },
            { Hex(Replace(valid, sos + 6, 0x10)), "no DHT" },
            { Hex(Replace(valid, sos + 7, 0)), "predictor" },
            { Hex(Replace(valid, rst + 1, 0xD3)), "RST0" },
            { Hex(valid[..(sos + 11)]), "ends before" },
            { Hex(valid[..sos]), "never coded" },
            { Hex(Replace(Replace(valid, dht + 5, 1), dht + 7, 4)), "more codes" },
            { Hex(Replace(valid, sof + 2, 0xFF)), "declares length" },
            { Hex(Replace(valid, sof + 4, 17)), "precision 17" },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptStreams))]
    public void DecodeFrame_CorruptStream_ThrowsInvalidDataNamingTheProblem(string hex, string expectedInMessage)
    {
        var stream = Convert.FromHexString(hex);

        var error = Assert.Throws<InvalidDataException>(() => Decode(stream, Gray(4, 4, 16)));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeFrame_DestinationTooSmall_ThrowsArgumentException()
    {
        var stream = JpegLosslessTestEncoder.Encode([SmoothPlane(4, 4, 16, 1)], 4, 4, new JpegLosslessEncoding(16));

        Assert.Throws<ArgumentException>(() => Codec.DecodeFrame(stream, Gray(4, 4, 16), new byte[31]));
    }

    internal static PixelFrameInfo Gray(int rows, int columns, int bitsAllocated, int bitsStored = 0) =>
        new(rows, columns, 1, bitsAllocated, bitsStored == 0 ? bitsAllocated : bitsStored, 0, 0);

    internal static byte[] Decode(byte[] stream, PixelFrameInfo info)
    {
        var destination = new byte[info.FrameLength];
        Codec.DecodeFrame(stream, info, destination);
        return destination;
    }

    internal static ushort[] RandomPlane(int rows, int columns, int bits, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * columns).Select(_ => (ushort)random.Next(1 << bits)).ToArray();
    }

    /// <summary>A ramp plus noise, as a CT slice looks to a predictor: mostly small differences, some large.</summary>
    internal static ushort[] SmoothPlane(int rows, int columns, int bits, int seed)
    {
        var random = new Random(seed);
        var max = (1 << bits) - 1;
        return Enumerable.Range(0, rows * columns)
            .Select(i => (ushort)Math.Clamp((i % columns * max / columns / 2) + (i / columns * 3) + random.Next(-4, 5), 0, max))
            .ToArray();
    }

    internal static byte[] Native16(ushort[] plane)
    {
        var bytes = new byte[plane.Length * 2];
        for (var i = 0; i < plane.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), plane[i]);
        }

        return bytes;
    }

    private static int IndexOfMarker(byte[] stream, byte marker)
    {
        for (var i = 0; i + 1 < stream.Length; i++)
        {
            if (stream[i] == 0xFF && stream[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"marker {marker:X2} not in the test stream");
    }

    private static byte[] Replace(byte[] stream, int index, byte value)
    {
        var copy = (byte[])stream.Clone();
        copy[index] = value;
        return copy;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
