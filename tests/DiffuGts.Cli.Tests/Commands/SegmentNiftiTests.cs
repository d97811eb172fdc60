using System.Text.Json;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary><c>diffugts segment</c> on a NIfTI volume: masks and previews, no DICOM objects (there is no source series to derive them from).</summary>
public sealed class SegmentNiftiTests
{
    [Fact]
    public async Task Segment_NiftiVolume_WritesMaskPreviewsAndSummaryWithoutDicom()
    {
        using var temp = new TempDirectory("cli-segment");
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 9, SizeX = 48, SizeY = 48, SizeZ = 8, Spacing = new Vector3D(2, 2, 2) });
        PhantomWriter.Write(phantom, temp.Combine("in"), PhantomOutputFormat.Nifti);

        var (code, _, error) = await CliRunner.RunAsync(
            "segment", temp.Combine("in", "image.nii.gz"), "--prompt", "kidney mass", "--out", temp.Combine("out"), "--model", SegmentFixture.TinyPackage,
            "--steps", "1");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(temp.Combine("out", "kidney_mass_mask.nii.gz")));
        Assert.NotEmpty(Directory.GetFiles(temp.Combine("out", "previews"), "*.png"));
        Assert.False(File.Exists(temp.Combine("out", "seg.dcm")));
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(temp.Combine("out", "findings.json")));
        var result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("seg").ValueKind);
        Assert.Equal("kidney mass", result.GetProperty("prompts")[0].GetProperty("prompt").GetString());
    }

    [Theory]
    [InlineData("full-pipeline", true)]
    [InlineData("aova", false)]
    public async Task Segment_MethodOfEval_RunsOnlyThatVariantsStages(string method, bool inpaints)
    {
        using var temp = new TempDirectory("cli-segment-method");
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 9, SizeX = 48, SizeY = 48, SizeZ = 8, Spacing = new Vector3D(2, 2, 2) });
        PhantomWriter.Write(phantom, temp.Combine("in"), PhantomOutputFormat.Nifti);

        var (code, _, error) = await CliRunner.RunAsync(
            "segment", temp.Combine("in", "image.nii.gz"), "--prompt", "kidney mass", "--out", temp.Combine("out"), "--model", SegmentFixture.TinyPackage,
            "--steps", "1", "--debug", "--method", method);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(temp.Combine("out", "debug", "kidney_mass_anomaly.nii.gz")));
        Assert.True(File.Exists(temp.Combine("out", "debug", "kidney_mass_probability.nii.gz")));
        Assert.Equal(inpaints, File.Exists(temp.Combine("out", "debug", "kidney_mass_pseudo_healthy.nii.gz")));
    }

    [Theory]
    [InlineData("--method", "outlier")]
    [InlineData("--residual-threshold", "0")]
    public async Task Segment_UnknownMethodOrNonPositiveThreshold_RefusedBeforeAnyWork(string option, string value)
    {
        using var temp = new TempDirectory("cli-segment-bad");
        var (code, _, error) = await CliRunner.RunAsync(
            "segment", temp.Combine("missing.nii.gz"), "--prompt", "kidney mass", "--out", temp.Combine("out"), option, value);

        Assert.NotEqual(0, code);
        Assert.Contains(option == "--method" ? "outlier" : "--residual-threshold", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }
}
