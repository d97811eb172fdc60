using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Series;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Series;

public sealed class SeriesSelectorTests
{
    [Fact]
    public void Classify_MixedStudy_KeepsTheCtVolumeAndNamesWhyEachOtherSeriesIsSkipped()
    {
        var ct = Series("2.25.10", 3, 5);
        var scout = Series("2.25.11", 1, 2, ds => ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER"));
        var seg = Series("2.25.12", 9001, 1, ds =>
        {
            ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SegmentationStorage);
            ds.AddOrUpdate(DicomTags.Modality, "SEG");
        });
        var pt = Series("2.25.13", 4, 5, ds => ds.AddOrUpdate(DicomTags.Modality, "PT"));
        var pair = Series("2.25.14", 5, 2);

        var candidates = SeriesSelector.Classify([.. seg, .. ct, .. pt, .. scout, .. pair]);

        Assert.Equal([1, 3, 4, 5, 9001], candidates.Select(c => c.SeriesNumber ?? 0));
        Assert.Equal("2.25.10", Assert.Single(candidates, c => c.IsVolume).SeriesInstanceUid);
        Assert.Equal(5, candidates[1].Instances.Count);
        Assert.StartsWith("localizer", candidates[0].SkipReason, StringComparison.Ordinal);
        Assert.Contains("modality PT", candidates[2].SkipReason, StringComparison.Ordinal);
        Assert.Contains("2 slice(s)", candidates[3].SkipReason, StringComparison.Ordinal);
        Assert.Contains(DicomUids.SegmentationStorage, candidates[4].SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_LocalizerInsideAVolumeSeries_StillAVolume()
    {
        var ct = Series("2.25.20", 2, 4);
        ct[0].Dataset.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER");

        Assert.True(Assert.Single(SeriesSelector.Classify(ct)).IsVolume);
    }

    private static List<DicomFile> Series(string uid, int number, int slices, Action<DicomDataset>? edit = null) =>
        [.. SyntheticSeriesHeaders.Axial(8, 8, slices, (1, 1, 2), (0, 0, 0)).Select(ds =>
        {
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, uid);
            ds.AddOrUpdate(DicomTags.SeriesNumber, number);
            edit?.Invoke(ds);
            return new DicomFile(ds);
        })];
}
