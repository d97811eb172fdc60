using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Writes 8-bit PNG images (PNG spec, ISO/IEC 15948): greyscale (colour type 0) or truecolour RGB (colour type 2), no
/// interlace, one IDAT chunk compressed with zlib. Each scanline gets the filter (None, Sub, Up, Average, Paeth) with the
/// smallest sum of absolute signed residuals, the heuristic the PNG spec suggests (§12.8). For quick-look previews only.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const byte ColourTypeGrey = 0;

    private const byte ColourTypeRgb = 2;

    public static void Write(Stream stream, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write(stream, image.Width, image.Height, ColourTypeRgb, 3, image.Pixels);
    }

    /// <summary>Writes a greyscale image of <paramref name="width"/>×<paramref name="height"/> bytes, row by row from the top.</summary>
    public static void WriteGrey(Stream stream, int width, int height, ReadOnlySpan<byte> pixels) =>
        Write(stream, width, height, ColourTypeGrey, 1, pixels);

    public static byte[] Encode(RgbImage image)
    {
        using var memory = new MemoryStream();
        Write(memory, image);
        return memory.ToArray();
    }

    private static void Write(Stream stream, int width, int height, byte colourType, int bytesPerPixel, ReadOnlySpan<byte> pixels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var stride = checked(width * bytesPerPixel);
        if (pixels.Length != checked(stride * height))
        {
            throw new ArgumentException($"expected {stride * height} pixel bytes for {width}×{height}, got {pixels.Length}", nameof(pixels));
        }

        stream.Write(Signature);

        // IHDR (§11.2.2): width, height, bit depth 8, colour type, compression 0, filter method 0, interlace 0.
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;
        header[9] = colourType;
        header[10] = header[11] = header[12] = 0;
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", Compress(Filter(pixels, stride, height, bytesPerPixel)));
        WriteChunk(stream, "IEND", []);
    }

    /// <summary>Each scanline preceded by its filter-type byte (§7.3, §9).</summary>
    private static byte[] Filter(ReadOnlySpan<byte> pixels, int stride, int height, int bpp)
    {
        var output = new byte[(stride + 1) * height];
        var candidate = new byte[stride];
        var best = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var above = y > 0 ? pixels.Slice((y - 1) * stride, stride) : default;
            var bestType = 0;
            var bestCost = long.MaxValue;
            for (var type = 0; type <= 4; type++)
            {
                long cost = 0;
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = y > 0 ? above[i] : 0;
                    int c = i >= bpp && y > 0 ? above[i - bpp] : 0;
                    var predictor = type switch
                    {
                        1 => a,
                        2 => b,
                        3 => (a + b) >> 1,
                        4 => Paeth(a, b, c),
                        _ => 0,
                    };
                    // Residuals are modulo 256 (§9.2); the cost reads them as signed bytes.
                    var residual = unchecked((byte)(row[i] - predictor));
                    candidate[i] = residual;
                    cost += residual < 128 ? residual : 256 - residual;
                }

                if (cost < bestCost)
                {
                    (bestCost, bestType) = (cost, type);
                    candidate.CopyTo(best, 0);
                }
            }

            output[y * (stride + 1)] = (byte)bestType;
            best.CopyTo(output, y * (stride + 1) + 1);
        }

        return output;
    }

    /// <summary>§9.4: the neighbour (left, above, upper-left) closest to left + above − upper-left, ties in that order.</summary>
    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Compress(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var zlib = new ZLibStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return memory.ToArray();
    }

    /// <summary>§5.3: length (big-endian, data only), type, data, CRC-32 over type and data.</summary>
    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = Crc32.Append(0xFFFFFFFFu, typeBytes);
        crc = Crc32.Append(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
