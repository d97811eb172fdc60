using DiffuGts.Dicom.Codecs;

namespace DiffuGts.Fuzz;

/// <summary>Seed inputs made at run time with our own encoders (DCMTK-made seeds are added by scripts/fuzz.sh).</summary>
internal static class Seeds
{
    public static int Write(string target, string directory)
    {
        Directory.CreateDirectory(directory);
        var count = 0;
        foreach (var (name, bytes) in Generate(target))
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
            count++;
        }

        Console.WriteLine($"{count} generated seed(s) for {target} in {directory}");
        return 0;
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Generate(string target)
    {
        if (target == "rle")
        {
            PixelFrameInfo[] frames =
            [
                new(8, 16, 1, 8, 8, 0, 0),
                new(6, 10, 1, 16, 12, 0, 0),
                new(5, 7, 3, 8, 8, 0, 0),
                new(4, 9, 3, 8, 8, 0, 1),
            ];
            var random = new Random(7);
            for (var i = 0; i < frames.Length; i++)
            {
                var pixels = new byte[frames[i].FrameLength];
                for (var p = 0; p < pixels.Length; p++)
                {
                    pixels[p] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)(p / 7);
                }

                yield return ($"generated-rle-{i}", FuzzFrame.Write(frames[i], RleLosslessCodec.EncodeFrame(pixels, frames[i])));
            }
        }
    }
}
