using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Series;

public sealed class SeriesVolumeBuilderTests
{
    public static TheoryData<string> GeometryNames => TestGeometries.Names;

    [Theory]
    [MemberData(nameof(GeometryNames))]
    public void Build_EachAcquisition_VoxelHuMatchesItsPatientPosition(string name)
    {
        var g = TestGeometries.Get(name);
        var files = SyntheticSeries.Create(g);
        files.Reverse();

        var series = SeriesVolumeBuilder.Build(files);

        AssertHuMatchesPositions(series);
        var normal = Vector3D.Cross(g.Direction.C0, g.Direction.C1);
        Assert.True((series.Geometry.Direction.C2 - normal).Length < 1e-9, "k runs along row × column");
        Assert.Equal(g.Spacing.Z, series.Geometry.Spacing.Z, 6);
        Assert.Equal((g.Spacing.X, g.Spacing.Y), (series.Geometry.Spacing.X, series.Geometry.Spacing.Y));
        for (var k = 0; k < series.Slices.Count; k++)
        {
            Assert.True((series.Slices[k].Position - series.Geometry.IndexToPatient(0, 0, k)).Length < 1e-6);
            Assert.Null(series.Slices[k].FrameNumber);
        }
    }

    [Fact]
    public void Build_ReversedStack_SlicesAscendAlongNormalAndReferenceSourceInstances()
    {
        var g = TestGeometries.Get("reversed");

        var series = SeriesVolumeBuilder.Build(SyntheticSeries.Create(g));

        // The grid stored slices head to feet; the volume runs feet to head, so instance 5 is slice 0.
        Assert.Equal(SyntheticSeries.SeriesUid + ".5", series.Slices[0].SopInstanceUid);
        Assert.Equal(SyntheticSeries.SeriesUid + ".1", series.Slices[^1].SopInstanceUid);
        Assert.Equal(DicomUids.CTImageStorage, series.Slices[0].SopClassUid);
    }

    [Theory]
    [InlineData("axial")]
    [InlineData("oblique")]
    public void Build_EnhancedCtWithFramesInReverse_SortsFramesAndAppliesSharedRescale(string name)
    {
        var g = TestGeometries.Get(name);

        var series = SeriesVolumeBuilder.Build([SyntheticSeries.CreateEnhanced(g)]);

        AssertHuMatchesPositions(series);
        Assert.Equal(g.SizeZ, series.Slices[0].FrameNumber);
        Assert.Equal(1, series.Slices[^1].FrameNumber);
    }

    [Fact]
    public void Build_LocalizerFlaggedInImageType_IsDropped()
    {
        var files = SyntheticSeries.Create(TestGeometries.Get("axial"));
        var scout = SyntheticSeries.Create(TestGeometries.Get("coronal", 7, 6, 1))[0];
        scout.Dataset.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER");
        scout.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.999");
        files.Add(scout);

        var series = SeriesVolumeBuilder.Build(files);

        Assert.Equal(5, series.Geometry.SizeZ);
    }

    public static TheoryData<string, SeriesVolumeError> MalformedCases => new()
    {
        { "missing slice", SeriesVolumeError.MissingSlice },
        { "duplicate position", SeriesVolumeError.DuplicatePosition },
        { "gantry tilt", SeriesVolumeError.GantryTilt },
        { "mixed sizes", SeriesVolumeError.MixedImageSize },
        { "localizer mixed in", SeriesVolumeError.InconsistentOrientation },
        { "mixed series", SeriesVolumeError.MixedSeries },
        { "mixed frame of reference", SeriesVolumeError.MixedFrameOfReference },
        { "no position", SeriesVolumeError.MissingGeometry },
        { "pixel spacing differs", SeriesVolumeError.InconsistentPixelSpacing },
        { "uneven spacing", SeriesVolumeError.NonUniformSpacing },
        { "empty", SeriesVolumeError.NoImages },
        { "colour", SeriesVolumeError.UnsupportedPixelData },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Build_MalformedSeries_ThrowsItsSpecificError(string defect, SeriesVolumeError expected)
    {
        var g = TestGeometries.Get("axial", 8, 6, 6);
        var files = SyntheticSeries.Create(g);
        DicomDataset third = files[2].Dataset;
        switch (defect)
        {
            case "missing slice": files.RemoveAt(3); break;
            case "duplicate position":
                var copy = SyntheticSeries.Create(g)[2];
                copy.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4.5");
                files.Add(copy);
                break;
            case "gantry tilt":
                foreach (var (f, k) in files.Select((f, k) => (f, k)))
                {
                    var p = g.IndexToPatient(0, 0, k);
                    f.Dataset.AddOrUpdate(DicomTags.ImagePositionPatient, p.X, p.Y + 0.9 * k, p.Z);
                }

                break;
            case "mixed sizes":
                files[2] = SyntheticSeries.Create(g.WithSize(8, 5, 6))[2];
                break;
            case "localizer mixed in":
                var scout = SyntheticSeries.Create(TestGeometries.Get("coronal", 8, 6, 1))[0];
                scout.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.999");
                files.Add(scout);
                break;
            case "mixed series": third.AddOrUpdate(DicomTags.SeriesInstanceUID, "1.2.3.4"); break;
            case "mixed frame of reference": third.AddOrUpdate(DicomTags.FrameOfReferenceUID, "1.2.3.4"); break;
            case "no position": third.Remove(DicomTags.ImagePositionPatient); break;
            case "pixel spacing differs": third.AddOrUpdate(DicomTags.PixelSpacing, 0.8, 0.85); break;
            case "uneven spacing":
                var q = g.IndexToPatient(0, 0, 2.3);
                third.AddOrUpdate(DicomTags.ImagePositionPatient, q.X, q.Y, q.Z);
                break;
            case "empty": files.Clear(); break;
            case "colour": third.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)3); break;
            default: throw new ArgumentOutOfRangeException(nameof(defect));
        }

        var e = Assert.Throws<SeriesVolumeException>(() => SeriesVolumeBuilder.Build(files));

        Assert.Equal(expected, e.Error);
        Assert.StartsWith(expected.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupBySeries_TwoSeries_ReturnsTwoGroups()
    {
        var files = SyntheticSeries.Create(TestGeometries.Get("axial"));
        files.AddRange(SyntheticSeries.Create(TestGeometries.Get("axial"), "1.2.3.5"));

        var groups = SeriesVolumeBuilder.GroupBySeries(files);

        Assert.Equal([5, 5], groups.Select(g => g.Count));
    }

    internal static void AssertHuMatchesPositions(SeriesVolume series)
    {
        var g = series.Geometry;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    Assert.Equal(SyntheticSeries.Hu(g.IndexToPatient(i, j, k)), series.Volume[i, j, k]);
                }
            }
        }
    }
}
