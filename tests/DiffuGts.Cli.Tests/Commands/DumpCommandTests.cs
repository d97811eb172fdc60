using DiffuGts.Dicom;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

public sealed class DumpCommandTests
{
    [Fact]
    public async Task Dump_ValidFile_PrintsTagsKeywordsAndValuesAndExitsZero()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("ct.dcm");
        await File.WriteAllBytesAsync(path, new DicomFile(SyntheticDicom.CtImage()).ToArray());
        var (code, output, error) = await CliRunner.RunAsync("dump", path);
        Assert.True(code == 0, error);
        Assert.Contains("(0008,0060)", output, StringComparison.Ordinal);
        Assert.Contains("Modality", output, StringComparison.Ordinal);
        Assert.Contains("CT", output, StringComparison.Ordinal);
        Assert.Contains("(7FE0,0010)", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dump_LyingLengthFile_ExitsOneWithOffsetInTheError()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.dcm");
        var bytes = new DicomFile(SyntheticDicom.CtImage()).ToArray()[..200];
        // A length field of 0xFFFFFFF0 somewhere past the meta group: the reader must refuse it, not allocate 4 GB.
        bytes[^4] = 0xF0;
        bytes[^3] = 0xFF;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
        var (code, _, error) = await CliRunner.RunAsync("dump", path);
        Assert.Equal(1, code);
        Assert.Contains("(at byte ", error, StringComparison.Ordinal); // the format error names where it failed
    }
}
