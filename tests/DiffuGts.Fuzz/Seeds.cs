using DiffuGts.Dicom;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Testing;

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
        if (target == "part10")
        {
            // Our writer, every native syntax plus RLE made by our encoder; small slices keep the fuzzer fast.
            const int Rows = 8, Columns = 12;
            var pixels = SyntheticCtSlice.Pixels(Rows, Columns, seed: 3);
            DicomTransferSyntax[] natives =
            [
                DicomTransferSyntax.ExplicitVRLittleEndian,
                DicomTransferSyntax.ImplicitVRLittleEndian,
                DicomTransferSyntax.ExplicitVRBigEndian,
                DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
            ];
            foreach (var syntax in natives)
            {
                yield return ($"generated-{syntax.Uid}", new DicomFile(SyntheticCtSlice.Dataset(0, Rows, Columns, pixels), syntax).ToArray());
            }

            var rle = SyntheticCtSlice.Dataset(1, Rows, Columns, pixels);
            var info = new PixelFrameInfo(Rows, Columns, 1, 16, 12, 0, 0);
            rle.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], [RleLosslessCodec.EncodeFrame(pixels, info)]));
            yield return ("generated-rle", new DicomFile(rle, DicomTransferSyntax.RLELossless).ToArray());
        }

        if (target == "pdu")
        {
            foreach (var seed in PduSeeds.Generate())
            {
                yield return seed;
            }
        }

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
