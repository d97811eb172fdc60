using System.Text.Json;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

public sealed class PhantomCommandTests
{
    [Fact]
    public async Task Phantom_BothFormats_WritesSeriesNiftiAndSidecar()
    {
        using var temp = new TempDirectory("cli-phantom");
        var code = await CliApplication.RunAsync(
            ["phantom", "--out", temp.Path, "--seed", "3", "--size", "48x48x24", "--lesion", "liver:cystic", "--format", "both"]);
        Assert.Equal(0, code);
        Assert.Equal(24, Directory.GetFiles(temp.Combine("dicom"), "CT*.dcm").Length);
        foreach (var file in new[] { "image.nii.gz", "labels.nii.gz", "lesions.nii.gz", "phantom.json" })
        {
            Assert.True(File.Exists(temp.Combine(file)), $"{file} missing");
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(temp.Combine("phantom.json")));
        var lesion = Assert.Single(json.RootElement.GetProperty("lesions").EnumerateArray());
        Assert.Equal("liver", lesion.GetProperty("organ").GetString());
        Assert.Equal("cystic", lesion.GetProperty("kind").GetString());
        Assert.Equal(3u, json.RootElement.GetProperty("seed").GetUInt64());
    }

    [Fact]
    public async Task Phantom_NiftiOnly_WritesNoDicom()
    {
        using var temp = new TempDirectory("cli-phantom");
        var code = await CliApplication.RunAsync(["phantom", "--out", temp.Path, "--size", "48x48x16", "--format", "nifti"]);
        Assert.Equal(0, code);
        Assert.False(Directory.Exists(temp.Combine("dicom")));
        Assert.True(File.Exists(temp.Combine("image.nii.gz")));
    }

    [Theory]
    [InlineData("--lesion", "brain:hypodense")]
    [InlineData("--size", "128x128")]
    [InlineData("--region", "pelvis")]
    [InlineData("--format", "png")]
    public async Task Phantom_BadArgument_ExitCode2AndNoFiles(string option, string value)
    {
        using var temp = new TempDirectory("cli-phantom");
        var output = temp.Combine("out");
        var code = await CliApplication.RunAsync(["phantom", "--out", output, option, value]);
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(output));
    }
}
