using DiffuGts.Dicom.Codecs;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Codecs;

/// <summary>
/// DCMTK compresses synthetic images (dcmcrle, dcmcjpeg) at test time; our codecs must give back the uncompressed
/// original bit for bit.
/// </summary>
public sealed class DcmtkCodecInteropTests
{
    public static TheoryData<string> Images => ["ct-unsigned-12", "ct-signed-12", "ct-signed-16", "ct-unsigned-16", "gray-8", "rgb-8"];

    [PeerTheory("dump2dcm", "dcmcrle", "dcmdump")]
    [MemberData(nameof(Images))]
    public void DecodeFrame_DcmcrleOutput_EqualsUncompressedOriginal(string image)
    {
        AssertRoundTrip(image, "dcmcrle", [], RleLosslessCodec.Uid);
    }

    [PeerTheory("dump2dcm", "dcmcjpeg", "dcmdump")]
    [MemberData(nameof(Images))]
    public void DecodeFrame_DcmcjpegFirstOrderPrediction_EqualsUncompressedOriginal(string image)
    {
        AssertRoundTrip(image, "dcmcjpeg", ["+e1"], JpegLosslessCodec.FirstOrderPredictionUid);
    }

    public static TheoryData<string, int> PredictorCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var image in new[] { "ct-unsigned-12", "ct-signed-16", "rgb-8" })
        {
            for (var predictor = 1; predictor <= 7; predictor++)
            {
                data.Add(image, predictor);
            }
        }

        return data;
    }

    [PeerTheory("dump2dcm", "dcmcjpeg", "dcmdump")]
    [MemberData(nameof(PredictorCases))]
    public void DecodeFrame_DcmcjpegSelectionValue_EqualsUncompressedOriginal(string image, int predictor)
    {
        AssertRoundTrip(image, "dcmcjpeg", ["+el", "+sv", predictor.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            JpegLosslessCodec.ProcessFourteenUid);
    }

    [PeerFact("dump2dcm", "dcmcjpeg", "dcmdump")]
    public void DecodeFrame_FrameSplitIntoOneKilobyteFragments_EqualsUncompressedOriginal()
    {
        var fragments = AssertRoundTrip("ct-unsigned-16", "dcmcjpeg", ["+e1", "+fs", "1"], JpegLosslessCodec.FirstOrderPredictionUid);

        Assert.True(fragments > 1, $"dcmcjpeg +fs 1 wrote {fragments} fragment(s); the test needs a frame split across several");
    }

    [PeerFact("dump2dcm", "dcmcrle", "dcmdrle", "dcmdump")]
    public void EncodeFrame_OurRleFramesInDcmtkFile_DcmdrleRestoresOriginal()
    {
        // Our encoder's frames replace DCMTK's own in an RLE file; DCMTK's decoder must then give back the original.
        var image = TestImage.Create("ct-unsigned-12");
        using var directory = new TempDirectory("codec-interop");
        var source = image.WriteUncompressed(directory);
        var dcmtkRle = directory.Combine("dcmtk-rle.dcm");
        Dcmtk.Run("dcmcrle", "-ot", source, dcmtkRle);
        var (dcmtkFrames, _) = Dcmtk.ReadEncapsulatedFrames(dcmtkRle, directory.Combine("items"), image.Frames);
        var ours = Enumerable.Range(0, image.Frames).Select(f => RleLosslessCodec.EncodeFrame(image.Frame(f, 0), image.Info)).ToList();

        var spliced = ReplaceFragments(File.ReadAllBytes(dcmtkRle), dcmtkFrames, ours);
        var ourRle = directory.Combine("our-rle.dcm");
        File.WriteAllBytes(ourRle, spliced);
        var decoded = directory.Combine("decoded.dcm");
        Dcmtk.Run("dcmdrle", ourRle, decoded);
        Directory.CreateDirectory(directory.Combine("native"));
        var dump = Dcmtk.Run("dcmdump", "-Un", "+W", directory.Combine("native"), decoded);

        var raw = Directory.GetFiles(directory.Combine("native")).Single();
        Assert.Contains("1.2.840.10008.1.2.1", Dcmtk.TransferSyntax(dump), StringComparison.Ordinal);
        Assert.Equal(image.Pixels, File.ReadAllBytes(raw));
    }

    private static int AssertRoundTrip(string imageName, string tool, string[] options, string expectedSyntax)
    {
        var image = TestImage.Create(imageName);
        using var directory = new TempDirectory("codec-interop");
        var source = image.WriteUncompressed(directory);
        var compressed = directory.Combine("compressed.dcm");
        Dcmtk.Run(tool, [.. options, source, compressed]);

        var (frames, dump) = Dcmtk.ReadEncapsulatedFrames(compressed, directory.Combine("items"), image.Frames);
        Assert.Equal(expectedSyntax, Dcmtk.TransferSyntax(dump));
        Assert.True(PixelCodecRegistry.TryGet(expectedSyntax, out var codec));
        Assert.Equal(image.Frames, frames.Count);

        // The compressed file's own Planar Configuration says how its frames decode (PS3.5 A.4 and G).
        var planar = Dcmtk.UnsignedShort(dump, "0028,0006") ?? 0;
        var info = image.Info with { PlanarConfiguration = planar };
        for (var f = 0; f < frames.Count; f++)
        {
            var decoded = new byte[info.FrameLength];
            codec.DecodeFrame(frames[f], info, decoded);
            Assert.True(image.Frame(f, planar).AsSpan().SequenceEqual(decoded), $"{imageName} frame {f} differs after {tool} {string.Join(' ', options)}");
        }

        return System.Text.RegularExpressions.Regex.Count(dump, @"\(fffe,e000\) pi") - 1;
    }

    /// <summary>
    /// Rewrites the Pixel Data items of a file whose frames are one fragment each and whose offset table is empty: every
    /// old fragment (found by its bytes, after its item header) is replaced by the new one with a new item length.
    /// </summary>
    private static byte[] ReplaceFragments(byte[] file, IReadOnlyList<byte[]> oldFragments, List<byte[]> newFragments)
    {
        var output = new List<byte>(file.Length);
        var position = 0;
        for (var i = 0; i < oldFragments.Count; i++)
        {
            var at = file.AsSpan(position).IndexOf(oldFragments[i]) + position;
            Assert.True(at >= position + 8, "fragment not found in the file");
            output.AddRange(file.AsSpan(position, at - 4 - position).ToArray());
            output.AddRange(BitConverter.GetBytes((uint)newFragments[i].Length));
            output.AddRange(newFragments[i]);
            position = at + oldFragments[i].Length;
        }

        output.AddRange(file.AsSpan(position).ToArray());
        return [.. output];
    }
}
