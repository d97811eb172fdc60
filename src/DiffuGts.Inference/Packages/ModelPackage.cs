using System.Diagnostics;
using System.Security.Cryptography;
using DiffuGts.Inference.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace DiffuGts.Inference.Packages;

/// <summary>
/// A loaded model package: manifest validated, files hashed, each graph's session created once and its signature checked
/// (docs/model-package.md §8). A bad package fails here with a <see cref="ModelPackageException"/>, never mid-study.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    private readonly Dictionary<GraphRole, OnnxGraph> _graphs;

    private ModelPackage(string directory, ModelManifest manifest, ExecutionDevice device, Dictionary<GraphRole, OnnxGraph> graphs)
    {
        Directory = directory;
        Manifest = manifest;
        Device = device;
        _graphs = graphs;
    }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    /// <summary>The execution provider the sessions really run on (CPU after a CUDA fallback).</summary>
    public ExecutionDevice Device { get; }

    /// <summary>Whether the package has the graph (the optional ones: <see cref="GraphRole.PixelRefinementHead"/>, <see cref="GraphRole.TextEncoder"/>).</summary>
    public bool HasGraph(GraphRole role) => _graphs.ContainsKey(role);

    internal OnnxGraph Graph(GraphRole role) =>
        _graphs.TryGetValue(role, out var graph) ? graph : throw new InvalidOperationException($"package {Manifest.Name} has no {role} graph");

    /// <summary>Reads and validates only the manifest and files (no sessions): what <c>diffugts config validate</c> needs.</summary>
    public static ModelManifest ValidateFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var manifestPath = Path.Combine(directory, ManifestReader.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelPackageException(ModelPackageErrorCode.ManifestMissing, ManifestReader.FileName, null,
                $"no {ManifestReader.FileName} in '{Path.GetFullPath(directory)}'");
        }

        var manifest = ManifestReader.Parse(File.ReadAllText(manifestPath));
        foreach (var (file, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                throw new ModelPackageException(ModelPackageErrorCode.FileMissing, file, $"files.{file}", "listed in the manifest but not in the package");
            }

            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != expected)
            {
                throw new ModelPackageException(ModelPackageErrorCode.HashMismatch, file, $"files.{file}",
                    $"SHA-256 is {actual}, the manifest says {expected}");
            }
        }

        return manifest;
    }

    /// <summary>Loads a package: validation (§8 steps 1–5), then one session per graph with its signature checked (step 6).</summary>
    public static ModelPackage Load(string directory, ExecutionDevice device, ExecutionProviderFactory providers, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(providers);
        logger ??= NullLogger.Instance;
        var clock = Stopwatch.StartNew();
        var manifest = ValidateFiles(directory);
        var (options, actual) = providers.Create(device);
        var graphs = new Dictionary<GraphRole, OnnxGraph>();
        try
        {
            foreach (var spec in manifest.Graphs.Values)
            {
                var session = OpenSession(Path.Combine(directory, spec.File), spec, ref options, ref actual, device, providers);
                try
                {
                    graphs.Add(spec.Role, new OnnxGraph(spec, session));
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (var graph in graphs.Values)
            {
                graph.Dispose();
            }

            throw;
        }
        finally
        {
            options.Dispose();
        }

        InferenceLog.PackageLoaded(logger, manifest.Name, manifest.Version, directory, actual, graphs.Count, clock.ElapsedMilliseconds);
        return new ModelPackage(directory, manifest, actual, graphs);
    }

    public void Dispose()
    {
        foreach (var graph in _graphs.Values)
        {
            graph.Dispose();
        }
    }

    private static InferenceSession OpenSession(string path, GraphSpec spec, ref SessionOptions options, ref ExecutionDevice actual,
        ExecutionDevice requested, ExecutionProviderFactory providers)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e) when (actual.IsCuda)
        {
            // The CUDA provider library loaded but the device would not start: fall back once, with the same warning.
            providers.WarnOnce(requested, e.Message);
            options.Dispose();
            (options, actual) = providers.Create(ExecutionDevice.Cpu);
            return OpenSession(path, spec, ref options, ref actual, requested, providers);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackageException(ModelPackageErrorCode.GraphLoadFailed, spec.File, $"graphs.{GraphContract.ManifestKey(spec.Role)}.file", e.Message, e);
        }
    }
}
