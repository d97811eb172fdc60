using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DiffuGts.Imaging.Overlays;
using Xunit;

namespace DiffuGts.Imaging.Tests.Overlays;

public sealed class PngWriterTests
{
    [Fact]
    public void Compute_CheckString_IsTheCrc32CheckValue()
    {
        // The standard check value of CRC-32/ISO-HDLC (the PNG CRC) over "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Write_Rgb_ChunksHaveValidCrcsAndTheIdatInflatesToFilteredRows()
    {
        var image = new RgbImage(5, 3);
        for (var n = 0; n < image.Pixels.Length; n++)
        {
            image.Pixels[n] = (byte)(n * 29);
        }

        var png = PngWriter.Encode(image);

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length)), Crc32.Compute(typeAndData));
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([0, 0, 0, 5, 0, 0, 0, 3, 8, 2, 0, 0, 0], chunks[0].Data);
        using var inflate = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        Assert.Equal(3 * (1 + 5 * 3), raw.Length);
    }

    [Fact]
    public void WriteGrey_WrongPixelCount_ThrowsArgumentException()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => PngWriter.WriteGrey(stream, 4, 4, new byte[15]));
    }
}
