using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

public sealed class ConfigCommandTests
{
    [Fact]
    public async Task Validate_ShippedConfiguration_ExitsZero()
    {
        var (code, output, error) = await CliRunner.RunAsync("config", "validate");
        Assert.True(code == 0, error);
        Assert.Contains("configuration is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadFile_ExitsOneAndNamesEveryKey()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("bad.json");
        await File.WriteAllTextAsync(file, """{ "Node": { "AeTitle": "WAY_TOO_LONG_AE_TITLE_X", "Port": 0 }, "Storage": { "RetentionDays": -1 } }""");
        var (code, _, error) = await CliRunner.RunAsync("config", "validate", file);
        Assert.Equal(1, code);
        Assert.Contains("Node:AeTitle", error, StringComparison.Ordinal);
        Assert.Contains("Node:Port", error, StringComparison.Ordinal);
        Assert.Contains("Storage:RetentionDays", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsOneWithReadError()
    {
        var (code, _, error) = await CliRunner.RunAsync("config", "validate", "/nonexistent/appsettings.json");
        Assert.Equal(1, code);
        Assert.Contains("cannot be read", error, StringComparison.Ordinal);
    }
}
