using System.Text.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary><c>diffugts segment</c> on a study folder: every CT volume series is segmented into its own folder; the localizer is not.</summary>
public sealed class SegmentStudyTests
{
    [Fact]
    public async Task Segment_StudyWithLocalizerAndTwoSeries_SegmentsBothSeriesAndSaysWhyTheLocalizerWasSkipped()
    {
        using var temp = new TempDirectory("cli-segment");
        var phantom = SegmentFixture.WritePhantomSeries(temp.Combine("phantom"), slices: 8);
        var study = temp.Combine("study");
        SegmentFixture.CopySeries(phantom, Path.Combine(study, "a"), SegmentFixture.AsSeries("2.25.1001", 2, "Portal venous"));
        SegmentFixture.CopySeries(phantom, Path.Combine(study, "b"), SegmentFixture.AsSeries("2.25.1002", 3, "Delayed"));
        SegmentFixture.CopySeries(phantom, Path.Combine(study, "scout"), ds =>
        {
            SegmentFixture.AsSeries("2.25.1000", 1, "Scout")(ds);
            ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER");
        });

        var (code, _, error) = await CliRunner.RunAsync(
            "segment", study, "--prompt", "liver tumor", "--out", temp.Combine("out"), "--model", SegmentFixture.TinyPackage, "--steps", "1");

        Assert.True(code == 0, error);
        Assert.Contains("series 1 CT \"Scout\" (8 instance(s)): skipped, localizer", error, StringComparison.Ordinal);
        foreach (var (folder, seriesUid) in new[] { ("series-2", "2.25.1001"), ("series-3", "2.25.1002") })
        {
            var seg = DicomFile.Open(await File.ReadAllBytesAsync(temp.Combine("out", folder, "seg.dcm"))).Dataset;
            Assert.Equal(seriesUid, seg.GetSequence(DicomTags.ReferencedSeriesSequence).Items[0].GetString(DicomTags.SeriesInstanceUID).Trim());
            Assert.True(File.Exists(temp.Combine("out", folder, "liver_tumor_mask.nii.gz")));
        }

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(temp.Combine("out", "findings.json")));
        var series = json.RootElement.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal([false, true, true], series.Select(s => s.GetProperty("used").GetBoolean()));
        Assert.StartsWith("localizer", series[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["series-2", "series-3"], json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("folder").GetString()));
    }
}
