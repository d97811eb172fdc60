using System.Text.Json;
using DiffuGts.Imaging.Evaluation;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class EvaluationRunnerTests
{
    [Fact]
    public async Task RunAsync_TinyBenchmark_BaselineFindsLesionsAndWritesPerCaseResults()
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        WriteFourCases(data.Path);
        var cases = EvaluationDataset.Discover(data.Path);
        // The tiny grid's lesion is 4.6 mm in radius in white noise: the defaults (6 mm smoothing, chosen for the 3 mm
        // phantoms' correlated noise) would wash it out.
        var baseline = new OrganIntensityOutlierMethod(new OrganIntensityOutlierOptions { SmoothingSigmaMm = 0, ZThreshold = 3, MinLesionVolumeMm3 = 20 });
        var runner = new EvaluationRunner([baseline], new EvaluationRunOptions { OutputDirectory = output.Path });

        var summary = await runner.RunAsync(cases, null, CancellationToken.None);
        var markdown = EvaluationReport.Write(output.Path);

        Assert.Equal(new EvaluationRunSummary(4, 0, 0), summary);
        var results = EvaluationReport.ReadCaseResults(output.Path);
        Assert.Equal(4, results.Count);
        Assert.All(results.Where(r => !r.TruthEmpty), r => Assert.True(r.Dice > 0.8, $"{r.CaseId}: Dice {r.Dice}"));
        Assert.All(results.Where(r => !r.TruthEmpty), r => Assert.Equal((1, 0), (r.LesionTp, r.LesionFn)));
        Assert.All(results.Where(r => !r.TruthEmpty), r => Assert.True(r.Auroc > 0.95, $"{r.CaseId}: AUROC {r.Auroc}"));
        Assert.All(results.Where(r => r.TruthEmpty), r => Assert.Null(r.Auroc));
        Assert.Equal(2.0, results[0].ToleranceMm);
        var mask = NiftiReader.Read(Path.Combine(output.Path, "predictions", OrganIntensityOutlierMethod.MethodName, "c1.nii.gz"));
        Assert.Equal(TinyDataset.Grid.SizeX, mask.Geometry.SizeX);

        var csv = File.ReadAllLines(Path.Combine(output.Path, "results.csv"));
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("case_id,category,organ", csv[0], StringComparison.Ordinal);
        Assert.Contains("\"a liver tumour, hypodense, in the liver\"", csv[1], StringComparison.Ordinal);
        Assert.Contains("| organ-intensity-outlier | seen | 2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| organ-intensity-outlier | unseen | 2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| organ-intensity-outlier | all | 4 |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Metric definitions", markdown, StringComparison.Ordinal);
        Assert.Contains("oracle", markdown, StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(File.ReadAllText(Path.Combine(output.Path, "results.json"))).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task RunAsync_TwoShardsThenMerge_ReportCoversEveryCaseOnce()
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        WriteFourCases(data.Path);
        var cases = EvaluationDataset.Discover(data.Path);
        var options = new EvaluationRunOptions { OutputDirectory = output.Path, SavePredictions = false };

        foreach (var part in new[] { 1, 0 })
        {
            var runner = new EvaluationRunner([new OrganIntensityOutlierMethod()], options);
            await runner.RunAsync(EvaluationDataset.Shard(cases, 2, part), null, CancellationToken.None);
        }

        EvaluationReport.Write(output.Path);

        Assert.Equal(["c1", "c2", "c3", "c4"], EvaluationReport.ReadCaseResults(output.Path).Select(r => r.CaseId));
    }

    [Fact]
    public async Task RunAsync_SkipExisting_SkipsDoneCasesAndRetriesFailedOnes()
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        var (cases, options) = await FirstRunWithSkipExistingAsync(data.Path, output.Path);
        var failedPath = EvaluationRunner.ResultPath(output.Path, OrganIntensityOutlierMethod.MethodName, "c2");
        File.WriteAllText(failedPath, File.ReadAllText(failedPath).Replace("\"status\": \"ok\"", "\"status\": \"failed: x\"", StringComparison.Ordinal));
        var before = File.GetLastWriteTimeUtc(EvaluationRunner.ResultPath(output.Path, OrganIntensityOutlierMethod.MethodName, "c1"));

        var summary = await RunOutlierAsync(cases, options);

        Assert.Equal(new EvaluationRunSummary(1, 3, 0), summary);
        Assert.Equal(before, File.GetLastWriteTimeUtc(EvaluationRunner.ResultPath(output.Path, OrganIntensityOutlierMethod.MethodName, "c1")));
        Assert.Contains("\"status\": \"ok\"", File.ReadAllText(failedPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SkipExistingWithAnotherModelPackageOrSeed_Recomputes()
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        var (cases, options) = await FirstRunWithSkipExistingAsync(data.Path, output.Path);
        var path = EvaluationRunner.ResultPath(output.Path, OrganIntensityOutlierMethod.MethodName, "c1");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"modelPackageVersion\": null", "\"modelPackageVersion\": \"pkg 0.1.0\"", StringComparison.Ordinal));

        var again = await RunOutlierAsync(cases, options);
        var otherSeed = await RunOutlierAsync(cases, options with { Seed = 7 });

        Assert.Equal(new EvaluationRunSummary(1, 3, 0), again);
        Assert.DoesNotContain("pkg 0.1.0", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(new EvaluationRunSummary(4, 0, 0), otherSeed);
    }

    /// <summary>Four cases in <paramref name="data"/>, run once by baseline (a) into <paramref name="output"/> with skip-existing on.</summary>
    private static async Task<(IReadOnlyList<EvaluationCase> Cases, EvaluationRunOptions Options)> FirstRunWithSkipExistingAsync(string data, string output)
    {
        WriteFourCases(data);
        var cases = EvaluationDataset.Discover(data);
        var options = new EvaluationRunOptions { OutputDirectory = output, SkipExisting = true, SavePredictions = false };
        await RunOutlierAsync(cases, options);
        return (cases, options);
    }

    private static Task<EvaluationRunSummary> RunOutlierAsync(IReadOnlyList<EvaluationCase> cases, EvaluationRunOptions options) =>
        new EvaluationRunner([new OrganIntensityOutlierMethod()], options).RunAsync(cases, null, CancellationToken.None);

    [Fact]
    public async Task RunAsync_MethodThrowsOrCaseUnreadable_RecordsFailureAndContinues()
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        WriteFourCases(data.Path);
        File.WriteAllText(Path.Combine(data.Path, "cases", "c3", "image.nii.gz"), "not a nifti");
        var cases = EvaluationDataset.Discover(data.Path);
        var runner = new EvaluationRunner([new OrganIntensityOutlierMethod(), new ThrowingMethod()],
            new EvaluationRunOptions { OutputDirectory = output.Path, SavePredictions = false });

        var summary = await runner.RunAsync(cases, null, CancellationToken.None);
        var markdown = EvaluationReport.Write(output.Path);

        Assert.Equal(new EvaluationRunSummary(3, 0, 5), summary);
        var results = EvaluationReport.ReadCaseResults(output.Path);
        Assert.All(results.Where(r => r.Method == "throws"), r => Assert.StartsWith("failed: ", r.Status, StringComparison.Ordinal));
        Assert.StartsWith("failed: cannot read case", results.Single(r => r.Method == OrganIntensityOutlierMethod.MethodName && r.CaseId == "c3").Status,
            StringComparison.Ordinal);
        Assert.Contains("| throws | all | 0 | 4 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganIntensityOutlier_NoOrganLabels_FailsWithReason()
    {
        using var data = new TempDirectory();
        TinyDataset.WriteBenchmarkCase(data.Path, "c1", 1, true, "seen");
        File.Delete(Path.Combine(data.Path, "cases", "c1", "organs.nii.gz"));
        var input = EvaluationCaseLoader.Load(EvaluationDataset.Discover(data.Path).Single());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new OrganIntensityOutlierMethod().SegmentAsync(input, 0, CancellationToken.None));

        Assert.Contains("organ labels", e.Message, StringComparison.Ordinal);
    }

    private static void WriteFourCases(string root)
    {
        TinyDataset.WriteBenchmarkCase(root, "c1", 1, true, "seen");
        TinyDataset.WriteBenchmarkCase(root, "c2", 2, true, "unseen");
        TinyDataset.WriteBenchmarkCase(root, "c3", 3, false, "seen");
        TinyDataset.WriteBenchmarkCase(root, "c4", 4, true, "unseen");
    }

    private sealed class ThrowingMethod : ISegmentationMethod
    {
        public string Name => "throws";

        public string Version => "0";

        public string? ModelPackageVersion => "test-package";

        public Task<SegmentationOutput> SegmentAsync(EvaluationCaseInput input, int seed, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("model not loaded");
    }
}
