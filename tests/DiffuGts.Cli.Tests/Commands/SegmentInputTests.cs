using DiffuGts.Dicom.Dictionary;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary><c>diffugts segment</c> given nothing to segment: a clear message and exit code 3, before any model is loaded.</summary>
public sealed class SegmentInputTests
{
    [Fact]
    public async Task Segment_EmptyFolder_ExitCode3SaysEmpty()
    {
        using var temp = new TempDirectory("cli-segment");
        Directory.CreateDirectory(temp.Combine("in"));

        var (code, _, error) = await CliRunner.RunAsync("segment", temp.Combine("in"), "--prompt", "liver tumor", "--out", temp.Combine("out"));

        Assert.Equal(3, code);
        Assert.Contains("is empty", error, StringComparison.Ordinal);
        Assert.DoesNotContain("model", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_FolderWithoutDicom_ExitCode3CountsTheOtherFiles()
    {
        using var temp = new TempDirectory("cli-segment");
        Directory.CreateDirectory(temp.Combine("in"));
        await File.WriteAllTextAsync(temp.Combine("in", "notes.txt"), "not an image");
        await File.WriteAllBytesAsync(temp.Combine("in", "CT0001.dcm"), new byte[200]);

        var (code, _, error) = await CliRunner.RunAsync("segment", temp.Combine("in"), "--prompt", "liver tumor", "--out", temp.Combine("out"));

        Assert.Equal(3, code);
        Assert.Contains("no DICOM file", error, StringComparison.Ordinal);
        Assert.Contains("2 file(s) are not DICOM instances", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_MissingInput_ExitCode3()
    {
        using var temp = new TempDirectory("cli-segment");

        var (code, _, error) = await CliRunner.RunAsync("segment", temp.Combine("nope.nii.gz"), "--prompt", "liver tumor", "--out", temp.Combine("out"));

        Assert.Equal(3, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_OnlyALocalizer_ExitCode3NamesTheReason()
    {
        using var temp = new TempDirectory("cli-segment");
        var dicom = SegmentFixture.WritePhantomSeries(temp.Combine("phantom"), slices: 4);
        SegmentFixture.CopySeries(dicom, temp.Combine("in"), ds => ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER"));

        var (code, _, error) = await CliRunner.RunAsync("segment", temp.Combine("in"), "--prompt", "liver tumor", "--out", temp.Combine("out"));

        Assert.Equal(3, code);
        Assert.Contains("skipped, localizer", error, StringComparison.Ordinal);
        Assert.Contains("no CT or MR volume series", error, StringComparison.Ordinal);
    }
}
