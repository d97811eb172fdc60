using System.CommandLine;
using System.Globalization;
using DiffuGts.Imaging.Evaluation;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts eval DATASET --out DIR</c>: the zero-shot benchmark (docs/evaluation.md). Detects the dataset layout
/// (benchmark, MSD, nnU-Net raw), runs every requested method on this shard's cases, writes one JSON per (method, case),
/// merges all shards' results into <c>results.json</c>, <c>results.csv</c> and <c>report.md</c>, and prints the table.
/// Exit 0 when every case succeeded, 1 when any failed, 2 for a bad dataset or command line.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The methods of issue 5, by key (a–e); b–e are <see cref="PipelineVariant"/>s of one pipeline and need --model.</summary>
    private static readonly (string Key, string Name, string Description)[] Methods =
    [
        ("a", OrganIntensityOutlierMethod.MethodName, "organ-wise robust z-score of HU (oracle organ labels)"),
        ("b", "reconstruction-residual", "diffusion reconstruction residual, no AOVA; needs --model"),
        ("c", "aova", "anomaly-aware open-vocabulary attention map only; needs --model"),
        ("d", "aova-residual", "AOVA + pixel residual: the package's pixel refinement head, else AOVA × pixel residual; needs --model"),
        ("e", "full-pipeline", "full DiffuGTS pipeline; needs --model"),
    ];

    /// <summary>
    /// The paired Dice differences the report gives: the full pipeline against both baselines, and each step of the
    /// ablation against the one before it (c → d → e) and e against c (issue 5's "each component earns its place").
    /// </summary>
    internal static readonly (string Method, string Comparator)[] Comparisons =
    [
        ("full-pipeline", OrganIntensityOutlierMethod.MethodName),
        ("full-pipeline", "reconstruction-residual"),
        ("aova-residual", "aova"),
        ("full-pipeline", "aova-residual"),
        ("full-pipeline", "aova"),
    ];

    /// <summary>The pipeline variant behind each model-based method name (also <c>diffugts segment --method</c>).</summary>
    internal static readonly Dictionary<string, PipelineVariant> Variants = new(StringComparer.Ordinal)
    {
        ["reconstruction-residual"] = PipelineVariant.ReconstructionResidual,
        ["aova"] = PipelineVariant.AnomalyMap,
        ["aova-residual"] = PipelineVariant.AnomalyResidual,
        ["full-pipeline"] = PipelineVariant.Full,
    };

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
        var model = new Option<string?>("--model") { Description = "Model package folder; makes methods b–e (the pipeline and its ablations) available." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N for model-based methods.", DefaultValueFactory = _ => "cpu" };
        var outlier = new OrganIntensityOutlierOptions();
        var reconstructionStrength = new Option<double?>("--reconstruction-strength")
        {
            Description = "Method b: noise strength of the whole-volume reconstruction (default: the package's inpainting strength); choose it on validation cases.",
        };
        var residualThreshold = new Option<double>("--residual-threshold")
        {
            Description = "Method b, and d of a package without a pixel refinement head: smoothed |image − reconstruction| (normalised model intensity) that counts as lesion; choose it on validation cases.",
            DefaultValueFactory = _ => new SegmentationPipelineOptions().ResidualThreshold,
        };
        var outlierZ = new Option<double>("--outlier-z")
        {
            Description = "Method a: |robust z| threshold (choose it on validation cases, not on the benchmark).",
            DefaultValueFactory = _ => outlier.ZThreshold,
        };
        var outlierSigma = new Option<double>("--outlier-sigma-mm")
        {
            Description = "Method a: Gaussian σ (mm) of the smoothing within each organ; 0 turns it off.",
            DefaultValueFactory = _ => outlier.SmoothingSigmaMm,
        };

        var command = new Command("eval", "Benchmark segmentation methods on a dataset with ground truth (Dice, NSD, HD95, lesion F1, AUROC/AUPRC).");
        command.Arguments.Add(dataset);
        foreach (var option in new Option[] { output, methods, numParts, partId, skipExisting, tolerance, seed, category, mergeOnly, quiet, model, device, outlierZ, outlierSigma, residualThreshold, reconstructionStrength })
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
                    parse.GetValue(category), parse.GetValue(quiet), parse.GetValue(model), parse.GetValue(device)!,
                    new OrganIntensityOutlierOptions { ZThreshold = parse.GetValue(outlierZ), SmoothingSigmaMm = parse.GetValue(outlierSigma) },
                    parse.GetValue(residualThreshold), parse.GetValue(reconstructionStrength));
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
                report = EvaluationReport.Write(outDir, Comparisons);
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

        if (!(s.Outlier.ZThreshold > 0) || !(s.Outlier.SmoothingSigmaMm >= 0) || !(s.ResidualThreshold > 0) ||
            s.ReconstructionStrength is { } r && !(r > 0 && r <= 1))
        {
            await stderr.WriteLineAsync("error: --outlier-z and --residual-threshold must be > 0, --outlier-sigma-mm ≥ 0, --reconstruction-strength in (0, 1]");
            return 2;
        }

        using var host = new MethodHost(s.Model, s.Device, s.Outlier, s.ResidualThreshold, s.ReconstructionStrength, stderr);
        var chosen = new List<ISegmentationMethod>();
        var requested = string.IsNullOrWhiteSpace(s.Methods)
            ? Methods.Where(m => host.IsAvailable(m.Name)).Select(m => m.Key)
            : s.Methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in requested.Distinct(StringComparer.Ordinal))
        {
            var entry = Methods.FirstOrDefault(m => m.Key == name || m.Name == name);
            if (entry.Name is null)
            {
                await stderr.WriteLineAsync($"error: unknown method '{name}'; known: {string.Join(", ", Methods.Select(m => $"{m.Key}/{m.Name}"))}");
                return 2;
            }

            if (!host.IsAvailable(entry.Name))
            {
                await stderr.WriteLineAsync($"error: method {entry.Key} ({entry.Name}) needs --model PACKAGE");
                return 2;
            }

            ISegmentationMethod method;
            try
            {
                method = host.Create(entry.Name);
            }
            catch (Exception e) when (e is ModelPackageException or IOException or ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"error: cannot load the model package for {entry.Name}: {e.Message}");
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
    /// Builds the methods and owns what they load: one model package (and MiniLM encoder) shared by b–e, each a
    /// <see cref="TumorSegmentationPipeline"/> with its <see cref="PipelineVariant"/>.
    /// </summary>
    private sealed class MethodHost(
        string? modelDirectory, string device, OrganIntensityOutlierOptions outlier, double residualThreshold, double? reconstructionStrength, TextWriter log)
        : IDisposable
    {
        private ModelPackage? _package;
        private MiniLmEncoder? _miniLm;

        public bool IsAvailable(string name) => name == OrganIntensityOutlierMethod.MethodName ||
            (Variants.ContainsKey(name) && modelDirectory is not null);

        public ISegmentationMethod Create(string name)
        {
            if (name == OrganIntensityOutlierMethod.MethodName)
            {
                return new OrganIntensityOutlierMethod(outlier);
            }

            var logger = new StderrLogger(log);
            var providers = new ExecutionProviderFactory(logger);
            _package ??= ModelPackage.Load(modelDirectory!, ExecutionDevice.Parse(device), providers, logger);
            _miniLm ??= _package.Manifest.Prompts.Mode == PromptMode.MiniLm ? new MiniLmEncoder(providers, _package.Device) : null;
            var variant = Variants[name];
            var options = new SegmentationPipelineOptions
            {
                Variant = variant,
                ResidualThreshold = residualThreshold,
                InpaintingStrength = variant == PipelineVariant.ReconstructionResidual ? reconstructionStrength : null,
            };
            var pipeline = new TumorSegmentationPipeline(_package, new PromptEmbedder(_package, _miniLm), options, logger);
            return new PipelineMethod(name, options, pipeline, $"{_package.Manifest.Name} {_package.Manifest.Version}",
                _package.HasGraph(GraphRole.PixelRefinementHead));
        }

        public void Dispose()
        {
            _miniLm?.Dispose();
            _package?.Dispose();
        }
    }

    /// <summary>
    /// Methods b–e: <see cref="TumorSegmentationPipeline"/> in one variant with the case's prompt and the run's seed. It
    /// gets no organ mask (zero-shot); the score map is the variant's score (probability, or residual for b), the mask its
    /// lesion labels &gt; 0.
    /// </summary>
    private sealed class PipelineMethod(
        string name, SegmentationPipelineOptions options, TumorSegmentationPipeline pipeline, string packageVersion, bool pixelHead)
        : ISegmentationMethod
    {
        public string Name => name;

        /// <summary>
        /// Names what decides the result, so --skip-existing never reuses a result of other settings or of an earlier
        /// definition: "v2" since 2026-11-28 (d is c's candidate ∩ residual &gt; τ; the inpainted box's anomaly map is
        /// cropped from the whole upsampled map); d of a package with a pixel refinement head is that head's.
        /// </summary>
        public string Version => options.Variant switch
        {
            PipelineVariant.AnomalyResidual when pixelHead => "TumorSegmentationPipeline v2 AnomalyResidual, pixel refinement head, package inpainting steps",
            PipelineVariant.ReconstructionResidual or PipelineVariant.AnomalyResidual => string.Create(CultureInfo.InvariantCulture,
                $"TumorSegmentationPipeline v2 {options.Variant}, package inpainting steps, strength {(options.InpaintingStrength is { } s ? s.ToString(CultureInfo.InvariantCulture) : "of the package")}, residual threshold {options.ResidualThreshold}, σ {options.ResidualSmoothingMm} mm"),
            _ => $"TumorSegmentationPipeline v2 {options.Variant}, package inpainting steps",
        };

        public string? ModelPackageVersion => packageVersion;

        public async Task<SegmentationOutput> SegmentAsync(EvaluationCaseInput input, int seed, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(input.Case.Prompt))
            {
                throw new InvalidOperationException($"case {input.Case.Id} has no prompt");
            }

            var result = await pipeline.SegmentAsync(new SegmentationRequest(input.Image, [input.Case.Prompt]) { Seed = seed }, null,
                cancellationToken);
            var prompt = result.Prompts.Single();
            return new SegmentationOutput(prompt.Probability, prompt.Mask.Map(v => v != 0));
        }
    }

    private sealed record RunSettings(string Dataset, string Output, string? Methods, int NumParts, int PartId, bool SkipExisting,
        double ToleranceMm, int Seed, string? Category, bool Quiet, string? Model, string Device, OrganIntensityOutlierOptions Outlier,
        double ResidualThreshold, double? ReconstructionStrength);

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<CaseResult> report) : IProgress<CaseResult>
    {
        public void Report(CaseResult value) => report(value);
    }
}
