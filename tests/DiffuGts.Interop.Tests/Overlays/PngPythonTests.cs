using DiffuGts.Imaging.Overlays;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Overlays;

/// <summary>Our PNGs decoded by an independent reader: a stdlib-only (zlib, struct) decoder run under Debian's Python.</summary>
public sealed class PngPythonTests
{
    /// <summary>Parses chunks, checks every CRC, inflates IDAT, undoes the five filters (PNG spec §9) and prints the raw bytes as hex.</summary>
    private const string Decoder = """
        import json, struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
        pos, idat, chunks = 8, b'', []
        while pos < len(data):
            (length,) = struct.unpack('>I', data[pos:pos + 4])
            kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
            (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
            assert zlib.crc32(kind + body) & 0xffffffff == crc, 'crc of ' + kind.decode()
            chunks.append(kind.decode())
            if kind == b'IHDR':
                width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        bpp = {0: 1, 2: 3}[colour]
        stride = width * bpp
        raw = zlib.decompress(idat)
        out, prev = bytearray(), bytearray(stride)
        for y in range(height):
            f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                if f == 1: p = a
                elif f == 2: p = b
                elif f == 3: p = (a + b) // 2
                elif f == 4:
                    q = a + b - c
                    pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                else: p = 0
                line[i] = (line[i] + p) & 0xff
            out += line
            prev = line
        print(json.dumps({'chunks': chunks, 'width': width, 'height': height, 'depth': depth, 'colour': colour,
                          'interlace': interlace, 'pixels': out.hex()}))
        """;

    [PythonFact]
    public void Write_OverlayOfPhantom_PythonDecodesOurPixels()
    {
        var c = OverlayPhantomCase.Instance;
        var k = OverlaySliceSelector.Select(c.Segments)[2];
        var image = OverlayRenderer.Render(c.Volume, k, c.Segments, OverlayPhantomCase.Model, new OverlayRenderOptions
        {
            Window = OverlayRenderer.DefaultWindow("CT", c.Volume),
        });
        using var dir = new TempDirectory();
        var path = dir.Combine("overlay.png");
        File.WriteAllBytes(path, PngWriter.Encode(image));
        KeepPreview(path);

        var decoded = DebianPythonScript.Run(Decoder, path);

        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.GetProperty("chunks").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((image.Width, image.Height, 8, 2, 0), (decoded.GetProperty("width").GetInt32(), decoded.GetProperty("height").GetInt32(),
            decoded.GetProperty("depth").GetInt32(), decoded.GetProperty("colour").GetInt32(), decoded.GetProperty("interlace").GetInt32()));
        Assert.Equal(Convert.ToHexStringLower(image.Pixels), decoded.GetProperty("pixels").GetString());
    }

    [PythonFact]
    public void WriteGrey_Gradient_PythonDecodesOurPixels()
    {
        const int width = 37, height = 11;
        var pixels = new byte[width * height];
        for (var n = 0; n < pixels.Length; n++)
        {
            pixels[n] = (byte)((n % width) * 7 + (n / width) * 13);
        }

        using var dir = new TempDirectory();
        var path = dir.Combine("grey.png");
        using (var stream = File.Create(path))
        {
            PngWriter.WriteGrey(stream, width, height, pixels);
        }

        var decoded = DebianPythonScript.Run(Decoder, path);

        Assert.Equal(0, decoded.GetProperty("colour").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(pixels), decoded.GetProperty("pixels").GetString());
    }

    /// <summary>Set DIFFUGTS_OVERLAY_PREVIEW_DIR to keep the rendered preview for a look.</summary>
    private static void KeepPreview(string path)
    {
        if (Environment.GetEnvironmentVariable("DIFFUGTS_OVERLAY_PREVIEW_DIR") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(path, Path.Combine(keep, Path.GetFileName(path)), overwrite: true);
        }
    }
}
