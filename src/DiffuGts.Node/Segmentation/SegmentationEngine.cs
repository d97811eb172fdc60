using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Node.Health;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node.Segmentation;

/// <summary>
/// The loaded model packages: one ONNX Runtime session set per package folder, loaded once and kept (STYLE §1: no new
/// model object per call). The default package is loaded at start (<see cref="ModelWarmupService"/>), so a bad package
/// stops the node with its validation message instead of failing mid-study. The execution provider comes from
/// Inference:ExecutionProviders in order; a CUDA request without CUDA falls back to CPU with one warning.
/// </summary>
public sealed class SegmentationEngine : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly string _contentRoot;
    private readonly NodeStatus _status;
    private readonly ILogger _logger;
    private readonly ExecutionProviderFactory _providers;
    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SegmentationEngine(InferenceOptions options, string contentRoot, NodeStatus status, ILogger<SegmentationEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _contentRoot = contentRoot;
        _status = status;
        _logger = logger;
        _providers = new ExecutionProviderFactory(logger);
    }

    /// <summary>The pipeline and manifest of a package (relative folders are taken from the content root).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "The encoder is owned by the cache entry and disposed with the engine; failure paths dispose it.")]
    public (TumorSegmentationPipeline Pipeline, ModelManifest Manifest) Get(string modelDirectory)
    {
        var folder = Hosting.NodeServices.ResolvePath(_contentRoot, modelDirectory);
        lock (_gate)
        {
            if (_loaded.TryGetValue(folder, out var loaded))
            {
                return (loaded.Pipeline, loaded.Package.Manifest);
            }

            var device = PreferredDevice();
            var package = ModelPackage.Load(folder, device, _providers, _logger);
            MiniLmEncoder? miniLm = null;
            try
            {
                miniLm = package.Manifest.Prompts.Mode == PromptMode.MiniLm ? new MiniLmEncoder(_providers, package.Device) : null;
                var pipeline = new TumorSegmentationPipeline(package, new PromptEmbedder(package, miniLm), new SegmentationPipelineOptions(), _logger);
                _loaded[folder] = new Loaded(package, miniLm, pipeline);
                _status.ModelLoaded($"{package.Manifest.Name} {package.Manifest.Version}", package.Device.ToString());
                return (pipeline, package.Manifest);
            }
            catch
            {
                miniLm?.Dispose();
                package.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var l in _loaded.Values)
            {
                l.MiniLm?.Dispose();
                l.Package.Dispose();
            }

            _loaded.Clear();
        }
    }

    private ExecutionDevice PreferredDevice()
    {
        var first = _options.ExecutionProviders.Count > 0 ? _options.ExecutionProviders[0] : "cpu";
        return string.Equals(first, "cuda", StringComparison.OrdinalIgnoreCase)
            ? ExecutionDevice.Parse($"cuda:{_options.DeviceId}")
            : ExecutionDevice.Cpu;
    }

    private sealed record Loaded(ModelPackage Package, MiniLmEncoder? MiniLm, TumorSegmentationPipeline Pipeline);
}
