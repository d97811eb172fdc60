using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Pixels;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

/// <summary>
/// The deterministic, in-process counterpart of scripts/fuzz.sh's part10 target, small enough for every CI run: mutated
/// RLE and JPEG lossless files go through the Part 10 reader, the frame table and the codec
/// (<see cref="Part10Robustness"/>); each stage may reject its input only with its documented exception.
/// </summary>
public sealed class EncapsulatedFileMutationTests
{
    private const int Iterations = 1500;
    private const int Rows = 6;
    private const int Columns = 10;

    [Fact]
    public void ReadAndDecode_MutatedEncapsulatedFiles_ThrowOnlyTypedExceptions()
    {
        byte[][] seeds = [Seed(DicomTransferSyntax.RLELossless), Seed(DicomTransferSyntax.JPEGLossless)];
        var random = new Random(1128);
        var failures = new List<string>();
        for (var i = 0; i < Iterations && failures.Count < 5; i++)
        {
            var input = CodecMutationTests.Mutate(seeds[i % seeds.Length], random);
            try
            {
                Part10Robustness.ReadAndDecode(input);
            }
#pragma warning disable CA1031 // Any other exception is the finding this test reports.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"iteration {i}: {e.GetType().Name}: {e.Message} input {Convert.ToHexString(input)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void ReadAndDecode_UnmutatedSeeds_DecodeToTheOriginalPixels()
    {
        var pixels = SyntheticCtSlice.Pixels(Rows, Columns, seed: 9);
        foreach (var syntax in new[] { DicomTransferSyntax.RLELossless, DicomTransferSyntax.JPEGLossless })
        {
            var file = DicomFile.Open(Seed(syntax), DicomReadOptions.Strict);

            Assert.Equal(pixels, DicomPixelData.Create(file).GetFrame(0).ToArray());
        }
    }

    private static byte[] Seed(DicomTransferSyntax syntax)
    {
        var pixels = SyntheticCtSlice.Pixels(Rows, Columns, seed: 9);
        var info = new PixelFrameInfo(Rows, Columns, 1, 16, 12, 0, 0);
        var plane = Enumerable.Range(0, Rows * Columns).Select(i => BitConverter.ToUInt16(pixels, 2 * i)).ToArray();
        var frame = syntax.Equals(DicomTransferSyntax.RLELossless)
            ? RleLosslessCodec.EncodeFrame(pixels, info)
            : JpegLosslessTestEncoder.Encode([plane], Rows, Columns, new JpegLosslessEncoding(16, 4) { RestartInterval = Columns });
        if (frame.Length % 2 != 0)
        {
            frame = [.. frame, 0];
        }

        var dataset = SyntheticCtSlice.Dataset(0, Rows, Columns, pixels);
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], [frame]));
        return new DicomFile(dataset, syntax).ToArray();
    }
}
