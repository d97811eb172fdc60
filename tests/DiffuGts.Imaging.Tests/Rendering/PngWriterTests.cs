using DiffuGts.Imaging.Rendering;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Rendering;

public sealed class PngWriterTests
{
    [Fact]
    public void Crc32_PngIendChunk_MatchesKnownValue()
    {
        // Every PNG ends with IEND and CRC AE 42 60 82.
        Assert.Equal(0xAE426082u, PngWriter.Crc32("IEND"u8, []));
    }

    [PythonFact("numpy")]
    public void WriteRgb_IndependentDecoder_ChecksCrcsAndReadsPixels()
    {
        var rgb = new byte[5 * 3 * 3];
        for (var n = 0; n < rgb.Length; n++)
        {
            rgb[n] = (byte)(n * 7);
        }

        using var dir = new TempDirectory();
        var path = dir.Combine("x.png");
        PngWriter.WriteRgb(path, rgb, 5, 3);
        // Python's zlib and struct (standard library) parse the chunks, verify each CRC and inflate the rows.
        const string script = """
            import json, struct, sys, zlib
            data = open(sys.argv[1], "rb").read()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            pos, chunks, idat = 8, [], b""
            while pos < len(data):
                n, = struct.unpack(">I", data[pos:pos + 4]); t = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]
                crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
                assert zlib.crc32(t + body) & 0xffffffff == crc, t
                chunks.append(t.decode()); idat += body if t == b"IDAT" else b""
                if t == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
                pos += 12 + n
            raw = zlib.decompress(idat)
            rows = [raw[r * (1 + 3 * w) + 1:(r + 1) * (1 + 3 * w)] for r in range(h)]
            print(json.dumps({"chunks": chunks, "w": w, "h": h, "depth": depth, "type": ctype, "pixels": list(b"".join(rows))}))
            """;

        var result = DebianPythonScript.Run(script, path);

        Assert.Equal(["IHDR", "IDAT", "IEND"], result.GetProperty("chunks").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((5, 3, 8, 2), (result.GetProperty("w").GetInt32(), result.GetProperty("h").GetInt32(),
            result.GetProperty("depth").GetInt32(), result.GetProperty("type").GetInt32()));
        Assert.Equal(rgb, result.GetProperty("pixels").EnumerateArray().Select(e => (byte)e.GetInt32()));
    }
}
