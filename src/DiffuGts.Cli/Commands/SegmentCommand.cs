using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts segment INPUT --prompt TEXT [--prompt TEXT…] --out DIR [--model PACKAGE] [--device cpu|cuda[:N]]</c>:
/// runs <see cref="TumorSegmentationPipeline"/> on a NIfTI volume and writes, per prompt, the lesion label mask, the
/// pseudo-healthy evidence image and the probability map as NIfTI, plus <c>findings.json</c>.
/// </summary>
internal static class SegmentCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Input volume (.nii or .nii.gz) in modality units (HU for CT)." };
        var prompts = new Option<string[]>("--prompt") { Description = "Finding to segment, repeatable (e.g. \"liver tumor\", HCC).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var model = new Option<string>("--model") { Description = "Model package folder.", DefaultValueFactory = _ => "deploy/models/reference" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA falls back to CPU with a warning).", DefaultValueFactory = _ => "cpu" };
        var seed = new Option<long>("--seed") { Description = "Seed of the diffusion noise; the same seed gives the same result.", DefaultValueFactory = _ => 1234 };
        var steps = new Option<int?>("--steps") { Description = "Inpainting steps (default: the package's)." };
        var debug = new Option<bool>("--debug") { Description = "Also write every stage as NIfTI under OUT/debug." };
        var command = new Command("segment", "Zero-shot tumour segmentation of a NIfTI volume with a model package.")
        {
            input, prompts, output, model, device, seed, steps, debug,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var outDir = parse.GetValue(output)!;
            try
            {
                var logger = new StderrLogger(error);
                var executionDevice = ExecutionDevice.Parse(parse.GetValue(device)!);
                var providers = new ExecutionProviderFactory(logger);
                using var package = ModelPackage.Load(parse.GetValue(model)!, executionDevice, providers, logger);
                using var miniLm = package.Manifest.Prompts.Mode == PromptMode.MiniLm ? new MiniLmEncoder(providers, package.Device) : null;
                var pipeline = new TumorSegmentationPipeline(package, new PromptEmbedder(package, miniLm),
                    new SegmentationPipelineOptions { InpaintingSteps = parse.GetValue(steps) }, logger);
                var image = NiftiReader.Read(parse.GetValue(input)!).ToFloatVolume();
                Directory.CreateDirectory(outDir);
                var request = new SegmentationRequest(image, parse.GetValue(prompts)!)
                {
                    Seed = parse.GetValue(seed),
                    DebugDirectory = parse.GetValue(debug) ? Path.Combine(outDir, "debug") : null,
                };
                SegmentationProgress? last = null;
                var progress = new Progress<SegmentationProgress>(p =>
                {
                    if (p.Fraction >= 1 && (last?.Stage != p.Stage || last.Prompt != p.Prompt))
                    {
                        last = p;
                        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Prompt ?? "(all)"}: {p.Stage} done"));
                    }
                });
                var result = await pipeline.SegmentAsync(request, progress, cancellationToken);
                Write(outDir, result, package);
                foreach (var prompt in result.Prompts)
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync(
                        string.Create(CultureInfo.InvariantCulture, $"{prompt.Prompt}: {prompt.Lesions.Count} lesion(s), {prompt.Lesions.Sum(l => l.VolumeMl):0.##} mL"));
                }

                return 0;
            }
            catch (Exception e) when (e is ModelPackageException or InferenceStageException or ArgumentException or IOException or InvalidDataException)
            {
                await error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static void Write(string outDir, SegmentationResult result, ModelPackage package)
    {
        var findings = new List<object>();
        foreach (var prompt in result.Prompts)
        {
            var slug = new string([.. PromptAliases.Normalise(prompt.Prompt).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
            NiftiWriter.Write(Path.Combine(outDir, $"{slug}_mask.nii.gz"), prompt.Mask, new NiftiWriteOptions { Description = $"DiffuGts mask: {prompt.Prompt}" });
            NiftiWriter.Write(Path.Combine(outDir, $"{slug}_probability.nii.gz"), prompt.Probability);
            if (prompt.PseudoHealthy is { } healthy)
            {
                NiftiWriter.Write(Path.Combine(outDir, $"{slug}_pseudo_healthy.nii.gz"), healthy, new NiftiWriteOptions { Description = "DiffuGts pseudo-healthy" });
            }

            findings.Add(new
            {
                prompt = prompt.Prompt,
                mask = $"{slug}_mask.nii.gz",
                candidate_region = prompt.CandidateRegionFound,
                lesions = prompt.Lesions.Select(l => new { label = l.Label, voxels = l.VoxelCount, volume_ml = l.VolumeMl, score = l.Score }),
            });
        }

        var document = new
        {
            model = new { name = package.Manifest.Name, version = package.Manifest.Version, device = package.Device.ToString() },
            prompts = findings,
            timings_ms = result.Timings.Select(t => new { prompt = t.Prompt, stage = t.Stage.ToString(), ms = t.Elapsed.TotalMilliseconds }),
        };
        File.WriteAllText(Path.Combine(outDir, "findings.json"), JsonSerializer.Serialize(document, JsonOptions));
    }
}

/// <summary>Warnings and errors of the libraries on stderr (the CLI has no logging host).</summary>
internal sealed class StderrLogger(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
        }
    }
}
