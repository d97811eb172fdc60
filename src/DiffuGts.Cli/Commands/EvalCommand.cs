using System.CommandLine;
using System.Globalization;
using DiffuGts.Imaging.Evaluation;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts eval DATASET --out DIR</c>: the zero-shot benchmark (docs/evaluation.md). Detects the dataset layout
/// (benchmark, MSD, nnU-Net raw), runs every requested method on this shard's cases, writes one JSON per (method, case),
/// merges all shards' results into <c>results.json</c>, <c>results.csv</c> and <c>report.md</c>, and prints the table.
/// Exit 0 when every case succeeded, 1 when any failed, 2 for a bad dataset or command line.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The methods of issue 5, by key (a–e). Only those with a factory in <see cref="CreateMethod"/> can run.</summary>
    private static readonly (string Key, string Name, string Description)[] Methods =
    [
        ("a", OrganIntensityOutlierMethod.MethodName, "organ-wise robust z-score of HU (oracle organ labels)"),
        ("b", "reconstruction-residual", "diffusion reconstruction residual"),
        ("c", "aova", "anomaly-aware open-vocabulary attention maps only"),
        ("d", "aova-residual", "AOVA + pixel residual"),
        ("e", "full-pipeline", "full DiffuGTS pipeline"),
    ];

    public static Command Create()
    {
        var dataset = new Argument<DirectoryInfo>("DATASET")
        {
            Description = "Dataset root: benchmark layout (cases/ID/case.json) or an MSD / nnU-Net raw folder with dataset.json.",
        };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder (shared by all shards).", Required = true };
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated methods by key or name: " +
                string.Join("; ", Methods.Select(m => $"{m.Key} = {m.Name} ({m.Description})")) + ". Default: every available one.",
        };
        var numParts = new Option<int>("--num-parts") { Description = "Split the sorted case list into N parts.", DefaultValueFactory = _ => 1 };
        var partId = new Option<int>("--part-id")
        {
            Description = "Run part K (0-based): sorted case i belongs to part i mod N. Run --merge-only once all parts are done.",
            DefaultValueFactory = _ => 0,
        };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Skip a (method, case) whose result JSON already succeeded." };
        var tolerance = new Option<double>("--tolerance-mm")
        {
            Description = "NSD tolerance τ in mm.",
            DefaultValueFactory = _ => SegmentationMetrics.DefaultToleranceMm,
        };
        var seed = new Option<int>("--seed") { Description = "Seed passed to every method and recorded per case." };
        var category = new Option<string?>("--category") { Description = "Category (seen/unseen) for cases whose layout has none (MSD, nnU-Net)." };
        var mergeOnly = new Option<bool>("--merge-only") { Description = "Only merge the per-case results under --out into the report." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print no per-case lines." };

        var command = new Command("eval", "Benchmark segmentation methods on a dataset with ground truth (Dice, NSD, HD95, lesion F1, AUROC/AUPRC).");
        command.Arguments.Add(dataset);
        foreach (var option in new Option[] { output, methods, numParts, partId, skipExisting, tolerance, seed, category, mergeOnly, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var outDir = parse.GetValue(output)!.FullName;
            if (!parse.GetValue(mergeOnly))
            {
                var settings = new RunSettings(parse.GetValue(dataset)!.FullName, outDir, parse.GetValue(methods), parse.GetValue(numParts),
                    parse.GetValue(partId), parse.GetValue(skipExisting), parse.GetValue(tolerance), parse.GetValue(seed),
                    parse.GetValue(category), parse.GetValue(quiet));
                var code = await RunAsync(settings, stdout, stderr, cancellationToken);
                if (code != 0 && code != 1)
                {
                    return code;
                }
            }

            if (!Directory.Exists(outDir))
            {
                await stderr.WriteLineAsync($"error: {outDir} does not exist");
                return 2;
            }

            string report;
            try
            {
                report = EvaluationReport.Write(outDir);
            }
            catch (InvalidDataException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return 2;
            }

            await stdout.WriteLineAsync(report);
            await stdout.WriteLineAsync($"report: {Path.Combine(outDir, "report.md")}; per case: results.csv, results.json");
            return EvaluationReport.ReadCaseResults(outDir).Any(r => r.Status != "ok") ? 1 : 0;
        });
        return command;
    }

    private static async Task<int> RunAsync(RunSettings s, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (s.NumParts < 1 || s.PartId < 0 || s.PartId >= s.NumParts)
        {
            await stderr.WriteLineAsync($"error: --part-id must be in 0..{s.NumParts - 1} and --num-parts at least 1");
            return 2;
        }

        if (!(s.ToleranceMm >= 0))
        {
            await stderr.WriteLineAsync("error: --tolerance-mm must be ≥ 0");
            return 2;
        }

        var chosen = new List<ISegmentationMethod>();
        var requested = string.IsNullOrWhiteSpace(s.Methods)
            ? Methods.Where(m => CreateMethod(m.Name) is not null).Select(m => m.Key)
            : s.Methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in requested.Distinct(StringComparer.Ordinal))
        {
            var entry = Methods.FirstOrDefault(m => m.Key == name || m.Name == name);
            if (entry.Name is null)
            {
                await stderr.WriteLineAsync($"error: unknown method '{name}'; known: {string.Join(", ", Methods.Select(m => $"{m.Key}/{m.Name}"))}");
                return 2;
            }

            var method = CreateMethod(entry.Name);
            if (method is null)
            {
                await stderr.WriteLineAsync($"error: method {entry.Key} ({entry.Name}) is not available in this build: it needs the inference " +
                    "pipeline, which is not wired into eval yet");
                return 2;
            }

            chosen.Add(method);
        }

        IReadOnlyList<EvaluationCase> cases;
        try
        {
            cases = EvaluationDataset.Shard(EvaluationDataset.Discover(s.Dataset, s.Category), s.NumParts, s.PartId);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{EvaluationDataset.Detect(s.Dataset)} dataset: {cases.Count} case(s) in part {s.PartId} of {s.NumParts}; methods: {string.Join(", ", chosen.Select(m => m.Name))}"));
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or IOException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        Directory.CreateDirectory(s.Output);
        var runner = new EvaluationRunner(chosen, new EvaluationRunOptions
        {
            OutputDirectory = s.Output,
            ToleranceMm = s.ToleranceMm,
            SkipExisting = s.SkipExisting,
            Seed = s.Seed,
        });
        var progress = new SynchronousProgress(r =>
        {
            if (!s.Quiet)
            {
                stdout.WriteLine(r.Status == "ok"
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{r.CaseId} {r.Method}: Dice {r.Dice:0.000} NSD {r.Nsd:0.000} HD95 {r.Hd95Mm:0.0} mm lesions TP {r.LesionTp} FP {r.LesionFp} FN {r.LesionFn} ({r.RuntimeSeconds:0.00} s)")
                    : $"{r.CaseId} {r.Method}: {r.Status}");
            }
        });
        var summary = await runner.RunAsync(cases, progress, cancellationToken);
        await stdout.WriteLineAsync($"computed {summary.Computed}, skipped {summary.Skipped} (already done), failed {summary.Failed}");
        return summary.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The methods this build can run. ADAPTER POINT for b–e: wrap the inference helper's TumorSegmentationPipeline in an
    /// <see cref="ISegmentationMethod"/> (in DiffuGts.Inference, which may reference Imaging) and return it here for
    /// "reconstruction-residual", "aova", "aova-residual" and "full-pipeline". Until then they report "not available".
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The adapter point returns the diffusion methods too once wired.")]
    private static ISegmentationMethod? CreateMethod(string name) => name switch
    {
        OrganIntensityOutlierMethod.MethodName => new OrganIntensityOutlierMethod(),
        _ => null,
    };

    private sealed record RunSettings(string Dataset, string Output, string? Methods, int NumParts, int PartId, bool SkipExisting,
        double ToleranceMm, int Seed, string? Category, bool Quiet);

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<CaseResult> report) : IProgress<CaseResult>
    {
        public void Report(CaseResult value) => report(value);
    }
}
