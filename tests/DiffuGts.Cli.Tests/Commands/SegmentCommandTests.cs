using System.Buffers.Binary;
using System.Text.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary><c>diffugts segment</c> on a DICOM series folder (issue 6): SEG, SC overlays, PNG previews, NIfTI masks, summary.</summary>
public sealed class SegmentCommandTests(SegmentFixture run) : IClassFixture<SegmentFixture>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Segment_DicomSeries_ExitsZeroAndReportsEachStage()
    {
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("read 12 DICOM file(s) in 1 series", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{SegmentFixture.ConfiguredPrompt}: Inpaint", run.Error, StringComparison.Ordinal);
        Assert.Contains("wrote SEG", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{SegmentFixture.UnknownPrompt}: 1 lesion(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_DicomSeries_SegDecodesToTheNiftiMaskOfEachPrompt()
    {
        var source = SeriesVolumeBuilder.Build(Directory.GetFiles(Path.Combine(run.SeriesFolder, "dicom")).Select(p => DicomFile.Open(File.ReadAllBytes(p))));
        var seg = DicomFile.Open(File.ReadAllBytes(Path.Combine(run.OutFolder, "seg.dcm")));

        var segments = SegmentationReader.ReadSegments(seg, source.Geometry);

        Assert.Equal(2, segments.Count);
        string[] slugs = ["liver_tumor", "odd_growth"];
        for (var n = 1; n <= 2; n++)
        {
            var nifti = NiftiReader.Read(Path.Combine(run.OutFolder, $"{slugs[n - 1]}_mask.nii.gz")).ToFloatVolume();
            Assert.Equal(nifti.Data.Count(v => v != 0), segments[n].Data.Count(v => v != 0));
        }

        Assert.Contains(source.Reference.GetString(DicomTags.SeriesInstanceUID).Trim(), seg.Dataset.GetSequence(DicomTags.ReferencedSeriesSequence).Items
            .Select(i => i.GetString(DicomTags.SeriesInstanceUID).Trim()));
        var items = seg.Dataset.GetSequence(DicomTags.SegmentSequence).Items;
        // The configured prompt keeps its prompt-set label; the other gets its own text and the generic coding.
        Assert.Equal("Liver lesion", items[0].GetString(DicomTags.SegmentLabel).Trim());
        Assert.Equal(SegmentFixture.UnknownPrompt, items[1].GetString(DicomTags.SegmentLabel).Trim());
        Assert.Equal("108369006", items[1].GetSequence(DicomTags.SegmentedPropertyTypeCodeSequence).Items[0].GetString(DicomTags.CodeValue).Trim());
    }

    [PeerFact("dciodvfy")]
    public void Segment_DicomSeries_DciodvfyAcceptsSegAndOverlays()
    {
        var paths = Directory.GetFiles(Path.Combine(run.OutFolder, "overlays")).Prepend(Path.Combine(run.OutFolder, "seg.dcm"));
        foreach (var path in paths)
        {
            var result = ProcessRunner.Run(Peers.Require("dciodvfy"), [path], TimeSpan.FromSeconds(60));
            var report = result.StandardOutput + result.StandardError;
            Assert.True(!report.Split('\n').Any(l => l.StartsWith("Error", StringComparison.Ordinal)), $"{Path.GetFileName(path)}:\n{report}");
        }
    }

    [Fact]
    public void Segment_DicomSeries_WritesScOverlaysAndPngPreviewsOfTheSameSlices()
    {
        var overlays = Directory.GetFiles(Path.Combine(run.OutFolder, "overlays"), "sc-*.dcm").Order(StringComparer.Ordinal).ToList();
        var previews = Directory.GetFiles(Path.Combine(run.OutFolder, "previews"), "slice-*.png").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(overlays);
        Assert.Equal(overlays.Select(p => Path.GetFileNameWithoutExtension(p)[3..]), previews.Select(p => Path.GetFileNameWithoutExtension(p)[6..]));
        for (var i = 0; i < overlays.Count; i++)
        {
            var sc = DicomFile.Open(File.ReadAllBytes(overlays[i])).Dataset;
            Assert.Equal(DicomUids.SecondaryCaptureImageStorage, sc.GetString(DicomTags.SOPClassUID).Trim());
            var png = File.ReadAllBytes(previews[i]);
            Assert.Equal(PngSignature, png[..8]);
            // IHDR width and height (PNG §11.2.2): the overlay image, at least the 48×48 source slice.
            Assert.Equal(sc.GetValue<int>(DicomTags.Columns), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(sc.GetValue<int>(DicomTags.Rows), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.True(sc.GetValue<int>(DicomTags.Columns) >= 48);
        }
    }

    [Fact]
    public void Segment_DicomSeries_SummaryListsSeriesLesionsVolumesScoresAndTimings()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.OutFolder, "findings.json")));
        var root = json.RootElement;
        Assert.True(Assert.Single(root.GetProperty("series").EnumerateArray()).GetProperty("used").GetBoolean());
        var result = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal("seg.dcm", result.GetProperty("seg").GetString());
        Assert.Equal([48, 48, 12], result.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        var prompts = result.GetProperty("prompts").EnumerateArray().ToList();
        Assert.Equal(["Liver lesion", SegmentFixture.UnknownPrompt], prompts.Select(p => p.GetProperty("label").GetString()));
        foreach (var prompt in prompts)
        {
            Assert.True(File.Exists(Path.Combine(run.OutFolder, prompt.GetProperty("mask").GetString()!)));
            var lesion = prompt.GetProperty("lesions").EnumerateArray().First();
            Assert.True(lesion.GetProperty("volume_ml").GetDouble() > 0);
            Assert.InRange(lesion.GetProperty("score").GetDouble(), 0, 1);
        }

        var stages = result.GetProperty("timings_ms").EnumerateArray().Select(t => t.GetProperty("stage").GetString()).ToList();
        Assert.Equal("Load", stages[0]);
        Assert.Contains("Inpaint", stages);
        Assert.Equal("Write", stages[^1]);
        Assert.True(root.GetProperty("total_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Segment_SameSeriesAgain_SameSegUids()
    {
        using var temp = new TempDirectory("cli-segment");
        var (code, _, error) = await CliRunner.RunAsync(
            "segment", Path.Combine(run.SeriesFolder, "dicom"), "--prompt", SegmentFixture.ConfiguredPrompt, "--prompt", SegmentFixture.UnknownPrompt,
            "--out", temp.Path, "--model", SegmentFixture.TinyPackage, "--steps", "2");
        Assert.True(code == 0, error);

        var first = DicomFile.Open(File.ReadAllBytes(Path.Combine(run.OutFolder, "seg.dcm"))).Dataset;
        var second = DicomFile.Open(File.ReadAllBytes(temp.Combine("seg.dcm"))).Dataset;
        Assert.Equal(first.GetString(DicomTags.SOPInstanceUID), second.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(first.GetString(DicomTags.SeriesInstanceUID), second.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(Directory.GetFiles(Path.Combine(run.OutFolder, "overlays")).Select(Path.GetFileName), Directory.GetFiles(temp.Combine("overlays")).Select(Path.GetFileName));
    }
}
