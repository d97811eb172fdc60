using DiffuGts.Dicom;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Pixels;
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

    [PeerTheory("dump2dcm", "dcmcrle")]
    [MemberData(nameof(Images))]
    public void DecodeFrame_DcmcrleOutput_EqualsUncompressedOriginal(string image)
    {
        AssertRoundTrip(image, "dcmcrle", [], RleLosslessCodec.Uid);
    }

    [PeerTheory("dump2dcm", "dcmcjpeg")]
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

    [PeerTheory("dump2dcm", "dcmcjpeg")]
    [MemberData(nameof(PredictorCases))]
    public void DecodeFrame_DcmcjpegSelectionValue_EqualsUncompressedOriginal(string image, int predictor)
    {
        AssertRoundTrip(image, "dcmcjpeg", ["+el", "+sv", predictor.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            JpegLosslessCodec.ProcessFourteenUid);
    }

    [PeerTheory("dump2dcm", "dcmcjpeg")]
    [InlineData("ct-unsigned-12", 2)]
    [InlineData("ct-signed-16", 3)]
    [InlineData("gray-8", 1)]
    public void DecodeFrame_DcmcjpegPointTransform_EqualsOriginalWithLowBitsCleared(string image, int pointTransform)
    {
        // T.81 H.1.2: the encoder drops Pt low bits, the decoder multiplies by 2^Pt, so those bits come back as zeros.
        AssertRoundTrip(image, "dcmcjpeg",
            ["+el", "+sv", "1", "+pt", pointTransform.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            JpegLosslessCodec.ProcessFourteenUid, pointTransform);
    }

    [PeerFact("dump2dcm", "dcmcjpeg")]
    public void DecodeFrame_FrameSplitIntoOneKilobyteFragments_EqualsUncompressedOriginal()
    {
        var fragments = AssertRoundTrip("ct-unsigned-16", "dcmcjpeg", ["+e1", "+fs", "1"], JpegLosslessCodec.FirstOrderPredictionUid);

        Assert.True(fragments > 1, $"dcmcjpeg +fs 1 wrote {fragments} fragment(s); the test needs a frame split across several");
    }

    [PeerFact("dump2dcm", "dcmcrle", "dcmdrle")]
    public void EncodeFrame_OurRleFileWrittenByCore_DcmdrleRestoresOriginal()
    {
        // Our encoder's frames, written as an RLE Lossless file by our Part 10 writer; DCMTK's decoder must give back
        // the original pixels.
        var image = TestImage.Create("ct-unsigned-12");
        using var directory = new TempDirectory("codec-interop");
        var native = DicomFile.Open(File.ReadAllBytes(image.WriteUncompressed(directory)));
        var dataset = native.Dataset.Clone();
        var frames = Enumerable.Range(0, image.Frames).Select(f => (ReadOnlyMemory<byte>)RleLosslessCodec.EncodeFrame(image.Frame(f, 0), image.Info));
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], frames));
        var ours = directory.Combine("ours-rle.dcm");
        File.WriteAllBytes(ours, new DicomFile(dataset, DicomTransferSyntax.RLELossless).ToArray());

        var decoded = directory.Combine("decoded.dcm");
        Dcmtk.Run("dcmdrle", ours, decoded);

        var result = DicomFile.Open(File.ReadAllBytes(decoded));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, result.TransferSyntax.Uid);
        Assert.Equal(image.Pixels, result.Dataset.GetBuffer(DicomTags.PixelData).ToArray());
    }

    private static int AssertRoundTrip(string imageName, string tool, string[] options, string expectedSyntax, int pointTransform = 0)
    {
        var image = TestImage.Create(imageName);
        using var directory = new TempDirectory("codec-interop");
        var source = image.WriteUncompressed(directory);
        var compressed = directory.Combine("compressed.dcm");
        Dcmtk.Run(tool, [.. options, source, compressed]);

        // Read with our Part 10 reader; the file's own attributes (Planar Configuration included, PS3.5 A.4 and G) say
        // how its frames decode.
        var file = DicomFile.Open(File.ReadAllBytes(compressed));
        Assert.Equal(expectedSyntax, file.TransferSyntax.Uid);
        Assert.True(PixelCodecRegistry.TryGet(file.TransferSyntax.Uid, out _));
        var pixels = DicomPixelData.Create(file);
        Assert.Equal(image.Frames, pixels.NumberOfFrames);

        var decoded = Enumerable.Range(0, pixels.NumberOfFrames).SelectMany(f => pixels.GetFrame(f).ToArray()).ToArray();
        var planar = pixels.PlanarConfiguration;
        var expected = Enumerable.Range(0, image.Frames).SelectMany(f => image.Frame(f, planar)).ToArray();
        var bytesPerSample = image.Info.BitsAllocated / 8;
        for (var i = 0; i < expected.Length; i += bytesPerSample)
        {
            // Little-endian: the low Pt (< 8) bits of a sample are in its first byte.
            expected[i] &= (byte)~((1 << pointTransform) - 1);
        }

        Assert.True(expected.AsSpan().SequenceEqual(decoded), $"{imageName} differs after {tool} {string.Join(' ', options)}");
        return ((DicomFragmentSequence)file.Dataset.GetItem(DicomTags.PixelData)).Fragments.Count;
    }
}
