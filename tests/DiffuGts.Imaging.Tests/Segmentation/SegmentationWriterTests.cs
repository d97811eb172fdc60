using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Segmentation;

public sealed class SegmentationWriterTests
{
    public static TheoryData<string> GeometryNames => TestGeometries.Names;

    [Theory]
    [MemberData(nameof(GeometryNames))]
    public void CreateThenRead_OddFrameSize_ReproducesEveryMask(string name)
    {
        var source = SegmentationFixture.Source(name);
        var segments = SegmentationFixture.Segments(source.Geometry);

        var bytes = SegmentationWriter.CreateFile(source, segments)!.ToArray();
        var read = SegmentationReader.ReadSegments(DicomFile.Open(bytes), source.Geometry);

        Assert.Equal([1, 2, 3], read.Keys.Order());
        for (var n = 0; n < 3; n++)
        {
            Assert.Equal(segments[n].Mask.Data, read[n + 1].Data);
        }
    }

    [Fact]
    public void Create_ThreeSegments_OneFramePerNonEmptySliceSegmentMajor()
    {
        var source = SegmentationFixture.Source();
        var segments = SegmentationFixture.Segments(source.Geometry);

        var ds = SegmentationWriter.Create(source, segments)!;

        var expectedFrames = segments.Sum(s => SegmentationFixture.NonEmptySlices(s.Mask));
        Assert.Equal(expectedFrames, ds.GetValue<int>(DicomTags.NumberOfFrames));
        var perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence).Items;
        Assert.Equal(expectedFrames, perFrame.Count);
        var first = perFrame[0];
        Assert.Equal([1u, 2u], first.GetSequence(DicomTags.FrameContentSequence).Items[0].GetValues<uint>(DicomTags.DimensionIndexValues));
        var sourceImage = first.GetSequence(DicomTags.DerivationImageSequence).Items[0].GetSequence(DicomTags.SourceImageSequence).Items[0];
        Assert.Equal(source.Slices[1].SopInstanceUid, sourceImage.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal("121322", sourceImage.GetSequence(DicomTags.PurposeOfReferenceCodeSequence).Items[0].GetString(DicomTags.CodeValue));
        Assert.Equal(3, perFrame[^1].GetSequence(DicomTags.SegmentIdentificationSequence).Items[0].GetValue<int>(DicomTags.ReferencedSegmentNumber));
        // 13×11 = 143 bits per frame: frames are packed across byte boundaries, then padded to even length.
        var bytes = (expectedFrames * 143 + 7) / 8;
        Assert.Equal(bytes + (bytes & 1), ds.GetElement(DicomTags.PixelData).Length);
        Assert.Equal(ds.GetString(DicomTags.StudyInstanceUID), source.Reference.GetString(DicomTags.StudyInstanceUID));
        Assert.NotEqual(ds.GetString(DicomTags.SeriesInstanceUID), source.Reference.GetString(DicomTags.SeriesInstanceUID));
        var referenced = ds.GetSequence(DicomTags.ReferencedSeriesSequence).Items[0];
        Assert.Equal(SyntheticSeries.SeriesUid, referenced.GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public void Create_OneSegmentEmpty_DropsItAndNumbersTheRestConsecutively()
    {
        var source = SegmentationFixture.Source();
        var segments = SegmentationFixture.Segments(source.Geometry);
        Array.Clear(segments[0].Mask.Data);

        var ds = SegmentationWriter.Create(source, segments)!;

        var items = ds.GetSequence(DicomTags.SegmentSequence).Items;
        Assert.Equal([1, 2], items.Select(i => i.GetValue<int>(DicomTags.SegmentNumber)));
        Assert.Equal(["Kidney mass", "Lesion"], items.Select(i => i.GetString(DicomTags.SegmentLabel)));
    }

    [Fact]
    public void Create_NothingFound_FollowsConfiguredBehaviour()
    {
        var source = SegmentationFixture.Source();
        var empty = new List<(SegmentDefinition, Volume<byte>)> { (new SegmentDefinition("Liver tumor"), new Volume<byte>(source.Geometry)) };

        Assert.Null(SegmentationWriter.Create(source, empty));
        var ds = SegmentationWriter.Create(source, empty, new SegmentationWriterOptions { NoFindings = NoFindingsBehavior.SendEmptySegmentation })!;

        Assert.Equal(1, ds.GetValue<int>(DicomTags.NumberOfFrames));
        Assert.StartsWith("No findings", ds.GetString(DicomTags.ContentDescription), StringComparison.Ordinal);
        Assert.StartsWith("No findings", ds.GetString(DicomTags.SeriesDescription), StringComparison.Ordinal);
        Assert.All(ds.GetElement(DicomTags.PixelData).Buffer.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Create_DeterministicUids_RerunRepeatsThem()
    {
        var source = SegmentationFixture.Source();
        var segments = SegmentationFixture.Segments(source.Geometry);
        var deterministic = new SegmentationWriterOptions { DeterministicUids = true };

        var a = SegmentationWriter.Create(source, segments, deterministic)!;
        var b = SegmentationWriter.Create(source, segments, deterministic)!;
        var c = SegmentationWriter.Create(source, segments)!;

        Assert.Equal(a.GetString(DicomTags.SOPInstanceUID), b.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(a.GetString(DicomTags.SeriesInstanceUID), b.GetString(DicomTags.SeriesInstanceUID));
        Assert.NotEqual(a.GetString(DicomTags.SOPInstanceUID), a.GetString(DicomTags.SeriesInstanceUID));
        Assert.NotEqual(a.GetString(DicomTags.SOPInstanceUID), c.GetString(DicomTags.SOPInstanceUID));
        Assert.True(DicomUid.IsValid(a.GetString(DicomTags.SOPInstanceUID)));
    }

    [Fact]
    public void Create_LossySource_SaysSoAndCopiesRatio()
    {
        var files = SyntheticSeries.Create(TestGeometries.Get("axial"));
        files[0].Dataset.AddOrUpdate(DicomTags.LossyImageCompression, "01");
        files[0].Dataset.AddOrUpdate(DicomTags.LossyImageCompressionRatio, 8.5);
        var source = DiffuGts.Imaging.Series.SeriesVolumeBuilder.Build(files);

        var ds = SegmentationWriter.Create(source, SegmentationFixture.Segments(source.Geometry))!;

        Assert.Equal("01", ds.GetString(DicomTags.LossyImageCompression));
        Assert.Equal(8.5, ds.GetValue<double>(DicomTags.LossyImageCompressionRatio));
    }

    [Fact]
    public void Create_MaskOffTheSourceGrid_Throws()
    {
        var source = SegmentationFixture.Source();
        var wrong = new Volume<byte>(source.Geometry.WithSize(5, 5, 5));

        Assert.Throws<ArgumentException>(() => SegmentationWriter.Create(source, [(new SegmentDefinition("x"), wrong)]));
    }

    [Theory]
    [InlineData(0xFFFFFF, 100.0, 0.0, 0.0)]
    [InlineData(0xFF0000, 53.24, 80.09, 67.20)]
    [InlineData(0x0000FF, 32.30, 79.19, -107.86)]
    public void CieLab_KnownSrgbColours_MatchReferenceLab(int rgb, double l, double a, double b)
    {
        var lab = CieLab.FromRgb(rgb);

        Assert.Equal(l, lab.L, 0.1);
        Assert.Equal(a, lab.A, 0.2);
        Assert.Equal(b, lab.B, 0.2);
    }

    [Fact]
    public void CieLab_Scaled_WhiteIsFullLightnessNeutralChroma()
    {
        // a* = b* = 0 scales to 128·65535/255 = 32896.
        Assert.Equal(new ushort[] { 65535, 32896, 32896 }, CieLab.ToDicomScaled(0xFFFFFF));
    }
}
