using System.CommandLine;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts segment INPUT --prompt TEXT [--prompt TEXT…] --out DIR [--model PACKAGE] [--device cpu|cuda[:N]] [--method NAME]</c>
/// (issue 6): INPUT is a DICOM series folder, a folder holding one study (each CT/MR volume series is segmented;
/// localizers and other series are skipped with the reason), or a NIfTI volume. Writes, per series, a DICOM SEG and the
/// SC overlay series (DICOM input), a NIfTI mask per prompt, PNG previews, and <c>findings.json</c> (see <see cref="SegmentRun"/>).
/// </summary>
internal static class SegmentCommand
{
    /// <summary>A model, inference or write failure.</summary>
    public const int ExitFailure = 1;

    /// <summary>Bad arguments the parser cannot catch (an unknown device).</summary>
    public const int ExitBadArguments = 2;

    /// <summary>INPUT holds nothing to segment: missing, empty, not DICOM or NIfTI, several studies, no CT/MR volume series.</summary>
    public const int ExitNoUsableInput = 3;

    /// <summary>The package shipped with the program, under its content root (the repository root in a checkout).</summary>
    public const string DefaultModel = "deploy/models/reference";

    public static Command Create()
    {
        var input = new Argument<string>("input")
        {
            Description = "A DICOM series folder, a folder holding one study (CT/MR volume series are picked), or a NIfTI volume (.nii, .nii.gz) in HU.",
        };
        var prompts = new Option<string[]>("--prompt") { Description = "Finding to segment, repeatable (e.g. \"liver tumor\", HCC).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var model = new Option<string?>("--model") { Description = $"Model package folder (default: {DefaultModel} under the program's content root)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA falls back to CPU with a warning).", DefaultValueFactory = _ => "cpu" };
        var seed = new Option<long>("--seed") { Description = "Seed of the diffusion noise; the same seed gives the same result.", DefaultValueFactory = _ => 1234 };
        var steps = new Option<int?>("--steps") { Description = "Inpainting steps (default: the package's)." };
        var debug = new Option<bool>("--debug") { Description = "Also write every stage as NIfTI under OUT/debug." };
        var method = new Option<string>("--method")
        {
            Description = "The full pipeline, or one of its ablations by its eval name (to calibrate them on validation cases with --debug).",
            DefaultValueFactory = _ => "full-pipeline",
        };
        method.AcceptOnlyFromAmong([.. EvalCommand.Variants.Keys]);
        var residualThreshold = new Option<double>("--residual-threshold")
        {
            Description = "Method reconstruction-residual, and aova-residual of a package without a pixel refinement head: the smoothed residual that counts as lesion (as eval's).",
            DefaultValueFactory = _ => new SegmentationPipelineOptions().ResidualThreshold,
        };
        var command = new Command("segment", "Zero-shot tumour segmentation of a DICOM series or study, or of a NIfTI volume, with a model package.")
        {
            input, prompts, output, model, device, seed, steps, debug, method, residualThreshold,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            ExecutionDevice executionDevice;
            if (!(parse.GetValue(residualThreshold) > 0))
            {
                await error.WriteLineAsync("error: --residual-threshold must be positive");
                return ExitBadArguments;
            }

            try
            {
                executionDevice = ExecutionDevice.Parse(parse.GetValue(device)!);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitBadArguments;
            }

            try
            {
                var source = await SegmentInput.ReadAsync(parse.GetValue(input)!, error, cancellationToken);
                var root = NodeConfiguration.FindContentRoot();
                var logger = new StderrLogger(error);
                var providers = new ExecutionProviderFactory(logger);
                var packagePath = parse.GetValue(model) ?? NodeServices.ResolvePath(root, DefaultModel);
                await error.WriteLineAsync($"model {packagePath}");
                using var package = ModelPackage.Load(packagePath, executionDevice, providers, logger);
                using var miniLm = package.Manifest.Prompts.Mode == PromptMode.MiniLm ? new MiniLmEncoder(providers, package.Device) : null;
                var pipeline = new TumorSegmentationPipeline(package, new PromptEmbedder(package, miniLm),
                    new SegmentationPipelineOptions
                    {
                        InpaintingSteps = parse.GetValue(steps),
                        Variant = EvalCommand.Variants[parse.GetValue(method)!],
                        ResidualThreshold = parse.GetValue(residualThreshold),
                    }, logger);
                var run = new SegmentRun(pipeline, package, SegmentRun.LoadPrompts(root, parse.GetValue(prompts)!), parse.GetValue(output)!,
                    parse.GetValue(seed), parse.GetValue(debug), parse.InvocationConfiguration.Output, error);
                await run.RunAsync(source, cancellationToken);
                return 0;
            }
            catch (SegmentInputException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitNoUsableInput;
            }
            catch (Exception e) when (e is ModelPackageException or InferenceStageException or ArgumentException or IOException or InvalidDataException
                or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitFailure;
            }
        });
        return command;
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
