using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Overlays;

public sealed class SecondaryCaptureWriterTests
{
    private static readonly OverlayModelInfo Model = new("DiffuGTS", "1.2.0");

    private static (IReadOnlyList<DicomDataset> Headers, Volume<float> Volume, OverlaySegment[] Segments) Case(int slices = 9)
    {
        var g = OverlayTestData.Grid(64, 48, slices);
        var headers = SyntheticSeriesHeaders.Axial(
            64, 48, slices, (g.Spacing.X, g.Spacing.Y, g.Spacing.Z), (g.Origin.X, g.Origin.Y, g.Origin.Z));
        var mask = OverlayTestData.AddBall(new Volume<byte>(g), 30, 24, 4, 6);
        return (headers, OverlayTestData.Body(g), [OverlayTestData.Segment("liver tumour", mask)]);
    }

    [Fact]
    public void Create_KeySlices_OneSecondaryCapturePerSliceReferencingItsSource()
    {
        var (headers, volume, segments) = Case();

        var overlays = new SecondaryCaptureWriter().Create(headers, volume, segments, Model);

        Assert.Equal([2, 3, 4, 5, 6], overlays.Select(o => o.SliceIndex));
        foreach (var overlay in overlays)
        {
            var ds = overlay.Dataset;
            var source = headers[overlay.SliceIndex];
            Assert.Equal(DicomUids.SecondaryCaptureImageStorage, ds.GetString(DicomTags.SOPClassUID));
            Assert.Equal(source.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.StudyInstanceUID));
            Assert.Equal(source.GetString(DicomTags.PatientID), ds.GetString(DicomTags.PatientID));
            Assert.Equal(source.GetString(DicomTags.PatientName), ds.GetString(DicomTags.PatientName));
            Assert.NotEqual(source.GetString(DicomTags.SeriesInstanceUID), ds.GetString(DicomTags.SeriesInstanceUID));
            Assert.Equal(["DERIVED", "SECONDARY"], ds.GetStrings(DicomTags.ImageType));
            Assert.Equal("WSD", ds.GetString(DicomTags.ConversionType));
            Assert.Equal("YES", ds.GetString(DicomTags.BurnedInAnnotation));
            Assert.Equal("RGB", ds.GetString(DicomTags.PhotometricInterpretation));
            Assert.Equal((3, 0, 8, 8, 7), (ds.GetValue<int>(DicomTags.SamplesPerPixel), ds.GetValue<int>(DicomTags.PlanarConfiguration),
                ds.GetValue<int>(DicomTags.BitsAllocated), ds.GetValue<int>(DicomTags.BitsStored), ds.GetValue<int>(DicomTags.HighBit)));
            Assert.Equal((48, 64), (ds.GetValue<int>(DicomTags.Rows), ds.GetValue<int>(DicomTags.Columns)));
            Assert.Equal(source.GetValue<int>(DicomTags.InstanceNumber), ds.GetValue<int>(DicomTags.InstanceNumber));
            Assert.Equal(["L", "P"], ds.GetStrings(DicomTags.PatientOrientation));
            Assert.Equal("DiffuGts overlay: liver tumour", ds.GetString(DicomTags.SeriesDescription));
            Assert.Equal(source.GetValues<double>(DicomTags.PixelSpacing), ds.GetValues<double>(DicomTags.PixelSpacing));
            Assert.False(ds.Contains(DicomTags.ImagePositionPatient));
            Assert.False(ds.Contains(DicomTags.FrameOfReferenceUID));
            var reference = Assert.Single(ds.GetSequence(DicomTags.SourceImageSequence).Items);
            Assert.Equal(source.GetString(DicomTags.SOPInstanceUID), reference.GetString(DicomTags.ReferencedSOPInstanceUID));
            Assert.Equal(DicomUids.CTImageStorage, reference.GetString(DicomTags.ReferencedSOPClassUID));
            var purpose = Assert.Single(reference.GetSequence(DicomTags.PurposeOfReferenceCodeSequence).Items);
            Assert.Equal(("121322", "DCM"), (purpose.GetString(DicomTags.CodeValue), purpose.GetString(DicomTags.CodingSchemeDesignator)));
            Assert.Equal(overlay.Image.Pixels, ds.GetBuffer(DicomTags.PixelData).ToArray());
        }

        Assert.Single(overlays.Select(o => o.Dataset.GetString(DicomTags.SeriesInstanceUID)).Distinct());
        Assert.Equal(overlays.Count, overlays.Select(o => o.Dataset.GetString(DicomTags.SOPInstanceUID)).Distinct().Count());
    }

    [Fact]
    public void Create_SameSourceAndModel_SameUids_OtherModelVersion_OtherUids()
    {
        var (headers, volume, segments) = Case();
        string[] Uids(OverlayModelInfo model) =>
            [.. new SecondaryCaptureWriter().Create(headers, volume, segments, model)
                .SelectMany(o => new[] { o.Dataset.GetString(DicomTags.SeriesInstanceUID), o.Dataset.GetString(DicomTags.SOPInstanceUID) })];

        var first = Uids(Model);
        var again = Uids(new OverlayModelInfo("DiffuGTS", "1.2.0"));
        var other = Uids(new OverlayModelInfo("DiffuGTS", "1.3.0"));

        Assert.Equal(first, again);
        Assert.Empty(first.Intersect(other));
        Assert.All(first, uid => Assert.True(DicomUid.IsValid(uid), uid));
    }

    [Fact]
    public void Create_SavedAndReadBack_PixelDataAndAttributesSurvive()
    {
        var (headers, volume, segments) = Case();
        var overlay = new SecondaryCaptureWriter().Create(headers, volume, segments, Model)[0];

        var read = DicomFile.Open(new DicomFile(overlay.Dataset).ToArray()).Dataset;

        Assert.Equal(overlay.Image.Pixels, read.GetBuffer(DicomTags.PixelData).ToArray());
        Assert.Equal(overlay.Dataset.GetString(DicomTags.SOPInstanceUID), read.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("Phantom^Jürgen", read.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Create_SeriesOptions_NumberModalityAndAllFindings()
    {
        var (headers, volume, segments) = Case();
        var options = new SecondaryCaptureOptions
        {
            SeriesNumber = 77,
            Modality = "OT",
            Slices = new OverlaySliceSelection { Policy = OverlaySlicePolicy.AllWithFindings },
        };

        var overlays = new SecondaryCaptureWriter(options).Create(headers, volume, segments, Model);

        Assert.Equal(9, overlays.Count); // the ball of radius 6 around slice 4 reaches every one of the 9 slices
        Assert.All(overlays, o => Assert.Equal(77, o.Dataset.GetValue<int>(DicomTags.SeriesNumber)));
        Assert.All(overlays, o => Assert.Equal("OT", o.Dataset.GetString(DicomTags.Modality)));
    }

    [Fact]
    public void Create_HeaderCountDiffersFromSlices_ThrowsArgumentException()
    {
        var (headers, volume, segments) = Case();

        var error = Assert.Throws<ArgumentException>(() => new SecondaryCaptureWriter().Create(headers.Take(8).ToList(), volume, segments, Model));
        Assert.Contains("8 source headers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HeadersInAnotherOrder_ThrowsRatherThanMislabelSlices()
    {
        var (headers, volume, segments) = Case();
        var swapped = headers.ToList();
        (swapped[3], swapped[4]) = (swapped[4], swapped[3]);

        var error = Assert.Throws<ArgumentException>(() => new SecondaryCaptureWriter().Create(swapped, volume, segments, Model));
        Assert.Contains("source header 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HeaderOfOtherSize_ThrowsArgumentException()
    {
        var (headers, volume, segments) = Case();
        headers[5].AddOrUpdate(DicomTags.Rows, (ushort)47);

        Assert.Throws<ArgumentException>(() => new SecondaryCaptureWriter().Create(headers, volume, segments, Model));
    }
}
