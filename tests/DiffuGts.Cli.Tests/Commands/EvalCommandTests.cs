using System.Text.Json;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary>
/// <c>diffugts eval</c> with the pipeline's ablations (methods b–d) beside the baseline (a) and the full pipeline (e), on
/// one small phantom case in the benchmark layout and the committed tiny package (its masks mean nothing; the
/// plumbing, determinism and prompt (in)dependence are what is checked).
/// </summary>
public sealed class EvalCommandTests
{
    private static readonly string TinyPackage = RepositoryRoot.Combine("deploy", "models", "tiny", "reference-tiny");

    [Fact]
    public async Task Eval_AllMethodsWithModel_WritesOneOkResultPerMethodAndTheAblationsPairedDifferences()
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("data"), "liver tumor");

        var (code, output, error) = await CliRunner.RunAsync("eval", temp.Combine("data"), "--out", temp.Combine("run"), "--model", TinyPackage, "-q");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        foreach (var method in new[] { "organ-intensity-outlier", "reconstruction-residual", "aova", "aova-residual", "full-pipeline" })
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(temp.Combine("run", "cases", method, "case-1.json")));
            Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
            Assert.Contains(method, File.ReadAllText(temp.Combine("run", "report.md")), StringComparison.Ordinal);
        }

        var report = File.ReadAllText(temp.Combine("run", "report.md"));
        foreach (var comparison in new[] { "full-pipeline − organ-intensity-outlier", "full-pipeline − reconstruction-residual", "aova-residual − aova", "full-pipeline − aova-residual" })
        {
            Assert.Contains($"| {comparison} | ", report, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Eval_AblationsTwiceWithSameSeed_WriteIdenticalMasks()
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("data"), "liver tumor");

        foreach (var run in new[] { "first", "second" })
        {
            var (code, _, error) = await CliRunner.RunAsync("eval", temp.Combine("data"), "--out", temp.Combine(run), "--model", TinyPackage,
                "--methods", "b,c,d", "--seed", "7", "-q");
            Assert.True(code == 0, error);
        }

        foreach (var method in new[] { "reconstruction-residual", "aova", "aova-residual" })
        {
            Assert.Equal(File.ReadAllBytes(temp.Combine("first", "predictions", method, "case-1.nii.gz")),
                File.ReadAllBytes(temp.Combine("second", "predictions", method, "case-1.nii.gz")));
            Assert.Equal(Metrics(temp.Combine("first"), method), Metrics(temp.Combine("second"), method));
        }
    }

    [Fact]
    public async Task Eval_OtherPrompt_ChangesAovaScoresButNotTheReconstructionResidual()
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("liver"), "liver tumor");
        CopyCase(temp.Combine("liver"), temp.Combine("kidney"), "kidney mass");

        foreach (var data in new[] { "liver", "kidney" })
        {
            var (code, _, error) = await CliRunner.RunAsync("eval", temp.Combine(data), "--out", temp.Combine($"run-{data}"), "--model", TinyPackage,
                "--methods", "b,c", "-q");
            Assert.True(code == 0, error);
        }

        Assert.Equal(Metrics(temp.Combine("run-liver"), "reconstruction-residual"), Metrics(temp.Combine("run-kidney"), "reconstruction-residual"));
        Assert.NotEqual(Metrics(temp.Combine("run-liver"), "aova"), Metrics(temp.Combine("run-kidney"), "aova"));
    }

    [Theory]
    [InlineData("b")]
    [InlineData("aova")]
    [InlineData("d")]
    public async Task Eval_AblationWithoutModel_ExitsTwoAndAsksForTheModel(string method)
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("data"), "liver tumor");

        var (code, _, error) = await CliRunner.RunAsync("eval", temp.Combine("data"), "--out", temp.Combine("run"), "--methods", method);

        Assert.Equal(2, code);
        Assert.Contains("needs --model", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("run", "cases")));
    }

    [Theory]
    [InlineData("--outlier-z", "0")]
    [InlineData("--outlier-sigma-mm", "-1")]
    [InlineData("--residual-threshold", "0")]
    [InlineData("--reconstruction-strength", "1.5")]
    public async Task Eval_BaselineSettingOutOfRange_ExitsTwoBeforeAnyWork(string option, string value)
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("data"), "liver tumor");

        var (code, _, error) = await CliRunner.RunAsync("eval", temp.Combine("data"), "--out", temp.Combine("run"), "--model", TinyPackage,
            "--methods", "a,b", option, value, "-q");

        Assert.Equal(2, code);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("run", "cases")));
    }

    [Fact]
    public async Task Eval_ReconstructionStrength_ChangesMethodBAndIsRecordedInItsVersion()
    {
        using var temp = new TempDirectory("cli-eval");
        await WriteCaseAsync(temp.Combine("data"), "liver tumor");

        foreach (var (run, strength) in new[] { ("weak", "0.1"), ("strong", "0.9") })
        {
            var (code, _, error) = await CliRunner.RunAsync("eval", temp.Combine("data"), "--out", temp.Combine(run), "--model", TinyPackage,
                "--methods", "b", "--reconstruction-strength", strength, "-q");
            Assert.True(code == 0, error);
        }

        // The residual score map differs (AUROC/AUPRC are computed from it; the tiny random package's masks may not).
        Assert.NotEqual(Metrics(temp.Combine("weak"), "reconstruction-residual"), Metrics(temp.Combine("strong"), "reconstruction-residual"));
        using var json = JsonDocument.Parse(File.ReadAllBytes(temp.Combine("weak", "cases", "reconstruction-residual", "case-1.json")));
        Assert.Contains("strength 0.1", json.RootElement.GetProperty("methodVersion").GetString(), StringComparison.Ordinal);
    }

    /// <summary>One benchmark-layout case (docs/evaluation.md) from <c>diffugts phantom</c>: a small liver lesion, 48×48×24 voxels of 3 mm.</summary>
    private static async Task WriteCaseAsync(string root, string prompt)
    {
        var phantom = Path.Combine(root, "phantom");
        var code = await CliApplication.RunAsync(["phantom", "--out", phantom, "--seed", "1001", "--size", "48x48x24", "--spacing", "3",
            "--lesion", "liver:hypodense", "--format", "nifti"]);
        Assert.Equal(0, code);
        var folder = Path.Combine(root, "cases", "case-1");
        Directory.CreateDirectory(folder);
        File.Move(Path.Combine(phantom, "image.nii.gz"), Path.Combine(folder, "image.nii.gz"));
        File.Move(Path.Combine(phantom, "lesions.nii.gz"), Path.Combine(folder, "lesion.nii.gz"));
        File.Move(Path.Combine(phantom, "labels.nii.gz"), Path.Combine(folder, "organs.nii.gz"));
        Directory.Delete(phantom, recursive: true);
        WriteMetadata(folder, prompt);
    }

    private static void CopyCase(string source, string destination, string prompt)
    {
        var from = Path.Combine(source, "cases", "case-1");
        var to = Path.Combine(destination, "cases", "case-1");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.nii.gz"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        WriteMetadata(to, prompt);
    }

    private static void WriteMetadata(string folder, string prompt) =>
        File.WriteAllText(Path.Combine(folder, "case.json"), JsonSerializer.Serialize(new
        {
            organ = "liver", lesionKind = "hypodense", category = "seen", prompt,
        }));

    /// <summary>The case's metrics that depend only on the mask and the score map (runtime and prompt excluded).</summary>
    private static string Metrics(string run, string method)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "cases", method, "case-1.json")));
        var r = json.RootElement;
        return string.Join(';', new[] { "dice", "nsd", "hd95Mm", "auroc", "auprc", "lesionFp" }.Select(k => r.GetProperty(k).GetRawText()));
    }
}
