using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Segmentation;

public sealed class SecondaryCaptureWriterTests
{
    [Fact]
    public void Create_AllWithFindings_OneRgbImagePerSliceWithAnySegment()
    {
        var source = SegmentationFixture.Source("axial", 64, 48, 9);
        var segments = SegmentationFixture.Segments(source.Geometry);

        var images = SecondaryCaptureWriter.Create(source, segments);

        var expected = Enumerable.Range(0, 9).Count(k => segments.Any(s => s.Mask.Slice(k).ContainsAnyExcept((byte)0)));
        Assert.Equal(expected, images.Count);
        var first = images[0];
        Assert.Equal(DicomUids.SecondaryCaptureImageStorage, first.GetString(DicomTags.SOPClassUID));
        Assert.Equal("YES", first.GetString(DicomTags.BurnedInAnnotation));
        Assert.Equal("RGB", first.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(64 * 48 * 3, first.GetElement(DicomTags.PixelData).Length);
        Assert.Equal(source.Reference.GetString(DicomTags.StudyInstanceUID), first.GetString(DicomTags.StudyInstanceUID));
        Assert.Single(images.Select(i => i.GetString(DicomTags.SeriesInstanceUID)).Distinct());
        Assert.Equal(source.Slices[1].SopInstanceUid,
            first.GetSequence(DicomTags.SourceImageSequence).Items[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Contains(SecondaryCaptureWriter.Disclaimer, first.GetString(DicomTags.DerivationDescription), StringComparison.Ordinal);
        Assert.Equal(["L", "P"], first.GetStrings(DicomTags.PatientOrientation));
    }

    [Fact]
    public void Create_BoxSegment_OutlineInSegmentColourAndLegendBurnedIn()
    {
        var source = SegmentationFixture.Source("axial", 64, 48, 9);
        var mask = new Volume<byte>(source.Geometry);
        for (var j = 30; j < 40; j++)
        {
            for (var i = 40; i < 55; i++)
            {
                mask[i, j, 4] = 1;
            }
        }

        var images = SecondaryCaptureWriter.Create(source, [(new SegmentDefinition("Tumour") { Color = 0x00FF00 }, mask)],
            new SecondaryCaptureOptions { FillOpacity = 0 });

        var image = Assert.Single(images);
        var rgb = image.GetElement(DicomTags.PixelData).Buffer.ToArray();
        byte[] Pixel(int x, int y) => rgb[(3 * (x + 64 * y))..(3 * (x + 64 * y) + 3)];
        Assert.Equal(new byte[] { 0, 255, 0 }, Pixel(40, 35));          // left edge of the box
        Assert.Equal(new byte[] { 0, 255, 0 }, Pixel(47, 30));          // top edge
        Assert.NotEqual(new byte[] { 0, 255, 0 }, Pixel(47, 35));       // inside, no fill
        // The legend's first line ("Tumour") is drawn in the segment colour from (2, 2): 'T' has a full top bar.
        Assert.Equal(new byte[] { 0, 255, 0 }, Pixel(2, 2));
        Assert.Equal(new byte[] { 0, 255, 0 }, Pixel(6, 2));
    }

    [Fact]
    public void SelectSlices_KeySlices_FirstWidestAndLastOfLargestLesion()
    {
        var g = VolumeGeometry.Axial(20, 20, 12, new Vector3D(1, 1, 1));
        var mask = new Volume<byte>(g);
        for (var k = 3; k <= 9; k++)
        {
            var r = k == 6 ? 4 : 1;
            for (var j = 10 - r; j <= 10 + r; j++)
            {
                for (var i = 10 - r; i <= 10 + r; i++)
                {
                    mask[i, j, k] = 1;
                }
            }
        }

        mask[0, 0, 11] = 1; // a separate, smaller lesion

        var slices = SecondaryCaptureWriter.SelectSlices([(new SegmentDefinition("t"), mask)], g, OverlaySliceSelection.KeySlicesThroughLargestLesion);

        Assert.Equal([3, 6, 9], slices);
    }

    [Fact]
    public void Create_NothingFound_SendNothingOrOneNoFindingsImage()
    {
        var source = SegmentationFixture.Source();
        var empty = new List<(SegmentDefinition, Volume<byte>)> { (new SegmentDefinition("Liver tumor"), new Volume<byte>(source.Geometry)) };

        Assert.Empty(SecondaryCaptureWriter.Create(source, empty));
        var images = SecondaryCaptureWriter.Create(source, empty,
            new SecondaryCaptureOptions { Common = new SegmentationWriterOptions { NoFindings = NoFindingsBehavior.SendEmptySegmentation } });

        Assert.Contains("No findings", Assert.Single(images).GetString(DicomTags.DerivationDescription), StringComparison.Ordinal);
    }

    [PeerFact("dciodvfy")]
    public void Dciodvfy_SecondaryCapture_ReportsNoErrors()
    {
        var source = SegmentationFixture.Source("coronal", 64, 48, 9);
        var images = SecondaryCaptureWriter.Create(source, SegmentationFixture.Segments(source.Geometry));
        using var dir = new TempDirectory();
        var path = dir.Combine("sc.dcm");
        File.WriteAllBytes(path, new DicomFile(images[0]).ToArray());

        var result = ProcessRunner.Run(Peers.Require("dciodvfy"), [path], TimeSpan.FromSeconds(60));

        var report = result.StandardOutput + result.StandardError;
        Assert.Contains("SCImage", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", report, StringComparison.Ordinal);
    }
}
