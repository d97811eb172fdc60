using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Testing;

namespace DiffuGts.Interop.Tests.Codecs;

/// <summary>
/// A synthetic uncompressed image (CT-like ramps and noise, or RGB), written as a DICOM file by DCMTK's dump2dcm from a
/// text dump plus the raw pixel bytes. <see cref="Pixels"/> is the native original every decoder must reproduce.
/// </summary>
internal sealed record TestImage(string Name, PixelFrameInfo Info, int Frames, byte[] Pixels)
{
    public static TestImage Create(string name)
    {
        return name switch
        {
            "ct-unsigned-12" => Gray(name, 64, 48, 3, bitsStored: 12, signed: false),
            "ct-signed-12" => Gray(name, 64, 48, 1, bitsStored: 12, signed: true),
            "ct-signed-16" => Gray(name, 50, 40, 1, bitsStored: 16, signed: true),
            "ct-unsigned-16" => Gray(name, 50, 40, 1, bitsStored: 16, signed: false),
            "gray-8" => Gray8(name),
            "rgb-8" => Rgb(name),
            _ => throw new ArgumentException($"no test image {name}", nameof(name)),
        };
    }

    public int FrameLength => Info.FrameLength;

    /// <summary>Writes the image as Explicit VR Little Endian with dump2dcm and returns the file path.</summary>
    public string WriteUncompressed(TempDirectory directory)
    {
        var raw = directory.Combine(Name + ".raw");
        File.WriteAllBytes(raw, Pixels);
        var color = Info.SamplesPerPixel == 3;
        var dump = new StringBuilder()
            .AppendLine(color || Info.BitsAllocated == 8 ? "(0008,0016) UI =SecondaryCaptureImageStorage" : "(0008,0016) UI =CTImageStorage")
            .AppendLine(CultureInfo.InvariantCulture, $"(0008,0018) UI [2.25.{BitConverter.ToUInt32(SHA256.HashData(Encoding.ASCII.GetBytes(Name)))}]")
            .AppendLine(CultureInfo.InvariantCulture, $"(0008,0060) CS [{(color || Info.BitsAllocated == 8 ? "OT" : "CT")}]")
            .AppendLine("(0010,0010) PN [Codec^Interop]")
            .AppendLine("(0020,000d) UI [2.25.1]")
            .AppendLine("(0020,000e) UI [2.25.2]")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0002) US {Info.SamplesPerPixel}")
            .AppendLine(color ? "(0028,0004) CS [RGB]" : "(0028,0004) CS [MONOCHROME2]");
        if (color)
        {
            dump.AppendLine(CultureInfo.InvariantCulture, $"(0028,0006) US {Info.PlanarConfiguration}");
        }

        if (Frames > 1)
        {
            dump.AppendLine(CultureInfo.InvariantCulture, $"(0028,0008) IS [{Frames}]");
        }

        dump.AppendLine(CultureInfo.InvariantCulture, $"(0028,0010) US {Info.Rows}")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0011) US {Info.Columns}")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0100) US {Info.BitsAllocated}")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0101) US {Info.BitsStored}")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0102) US {Info.BitsStored - 1}")
            .AppendLine(CultureInfo.InvariantCulture, $"(0028,0103) US {Info.PixelRepresentation}")
            .AppendLine(CultureInfo.InvariantCulture, $"(7fe0,0010) {(Info.BitsAllocated == 8 ? "OB" : "OW")} ={raw}");
        var dumpPath = directory.Combine(Name + ".txt");
        File.WriteAllText(dumpPath, dump.ToString());
        var file = directory.Combine(Name + ".dcm");
        Dcmtk.Run("dump2dcm", "+te", dumpPath, file);
        return file;
    }

    /// <summary>The native frame <paramref name="frame"/> in the given planar configuration (RGB only changes).</summary>
    public byte[] Frame(int frame, int planarConfiguration)
    {
        var native = Pixels.AsSpan(frame * FrameLength, FrameLength).ToArray();
        if (Info.SamplesPerPixel == 1 || planarConfiguration == Info.PlanarConfiguration)
        {
            return native;
        }

        var pixels = Info.Rows * Info.Columns;
        var planar = new byte[native.Length];
        for (var i = 0; i < pixels; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planar[(c * pixels) + i] = native[(3 * i) + c];
            }
        }

        return planar;
    }

    private static TestImage Gray(string name, int rows, int columns, int frames, int bitsStored, bool signed)
    {
        var info = new PixelFrameInfo(rows, columns, 1, 16, bitsStored, signed ? 1 : 0, 0);
        var random = new Random(rows * columns * frames * bitsStored);
        var min = signed ? -(1 << (bitsStored - 1)) : 0;
        var max = signed ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
        var pixels = new byte[info.FrameLength * frames];
        for (var f = 0; f < frames; f++)
        {
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    // A disc of "tissue" on "air", a ramp, noise, and a few extreme pixels that force large differences.
                    var inside = ((x - (columns / 2)) * (x - (columns / 2))) + ((y - (rows / 2)) * (y - (rows / 2))) < rows * rows / 5;
                    var value = inside ? (max / 3) + (x * 7) + (f * 100) + random.Next(-40, 41) : min + random.Next(0, 30);
                    if (random.Next(97) == 0)
                    {
                        value = random.Next(2) == 0 ? min : max;
                    }

                    var at = (f * info.FrameLength) + (2 * ((y * columns) + x));
                    BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(at), (short)Math.Clamp(value, min, max));
                }
            }
        }

        return new TestImage(name, info, frames, pixels);
    }

    private static TestImage Gray8(string name)
    {
        var info = new PixelFrameInfo(33, 47, 1, 8, 8, 0, 0);
        var random = new Random(8);
        var pixels = Enumerable.Range(0, info.FrameLength).Select(i => (byte)((i % 47 * 5) + random.Next(3))).ToArray();
        return new TestImage(name, info, 1, pixels);
    }

    private static TestImage Rgb(string name)
    {
        var info = new PixelFrameInfo(30, 41, 3, 8, 8, 0, 0);
        var random = new Random(24);
        var pixels = new byte[info.FrameLength];
        for (var i = 0; i < 30 * 41; i++)
        {
            pixels[3 * i] = (byte)(i % 41 * 6);
            pixels[(3 * i) + 1] = (byte)(i / 41 * 8);
            pixels[(3 * i) + 2] = (byte)random.Next(256);
        }

        return new TestImage(name, info, 1, pixels);
    }
}
