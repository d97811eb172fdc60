using System.Text.Json.Nodes;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Packages;

/// <summary>docs/model-package.md §8–§9: a bad package fails at load with the documented code, file and key.</summary>
public sealed class ModelPackageTests
{
    [CachedPythonFact("torch", "onnx")]
    public void Load_TinyPackage_OpensEveryGraphOnCpu()
    {
        using var package = ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        Assert.Equal("tiny-ddim-lexicon", package.Manifest.Name);
        Assert.Equal(ExecutionDevice.Cpu, package.Device);
        Assert.Equal(SchedulerType.Ddim, package.Manifest.Scheduler.Type);
        Assert.Equal(5, package.Manifest.Graphs.Count);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_RectifiedFlowTextEncoderPackage_ReadsModalityConditioning()
    {
        using var package = ModelPackage.Load(TinyPackages.Get("rflow", "text_encoder"), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        Assert.Equal("class_label", package.Manifest.Conditioning.ModalityInput);
        Assert.Null(package.Manifest.Conditioning.TopRegionInput);
        Assert.Contains(GraphRole.TextEncoder, package.Manifest.Graphs.Keys);
    }

    public static TheoryData<string, string, string?> ManifestEdits => new()
    {
        { "version", "manifest.json", "format_version" },
        { "unknown-key", "manifest.json", "tiling.tile_sizes" },
        { "missing-key", "manifest.json", "latent.scale_factor" },
        { "bad-range", "manifest.json", "segmentation.anomaly_threshold" },
        { "missing-graph-entry", "manifest.json", "graphs.aova_head" },
        { "scheduler-key-of-other-type", "manifest.json", "scheduler.use_timestep_transform" },
        { "wrong-channels", "manifest.json", "graphs.vae_decoder.inputs[latent].shape[1]" },
        { "unknown-residual-reference", "manifest.json", "inpainting.residual_reference" },
        { "no-samples", "manifest.json", "inpainting.samples" },
        { "unknown-average", "manifest.json", "inpainting.average" },
        { "unknown-refine-within", "manifest.json", "segmentation.refine_within" },
        { "mask-threshold-out-of-range", "manifest.json", "segmentation.anomaly_mask_threshold" },
        { "pixel-head-threshold-out-of-range", "manifest.json", "segmentation.pixel_head_probability_threshold" },
        { "pixel-head-wrong-channels", "manifest.json", "graphs.refinement_head_pixel_residual.inputs[feature_residual].shape[1]" },
    };

    [PythonTheory("torch", "onnx")]
    [MemberData(nameof(ManifestEdits))]
    public void Load_BrokenManifest_ThrowsWithFileAndKey(string edit, string file, string? key)
    {
        using var temp = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), temp.Path, m => Edit(edit, m));
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(file, error.File);
        Assert.Equal(key, error.Key);
        Assert.Equal(ExpectedCode(edit), error.Code);
        Assert.Contains(key!, error.Message, StringComparison.Ordinal);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_GraphFileDeleted_ThrowsFileMissingNamingTheFile()
    {
        using var temp = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), temp.Path);
        File.Delete(temp.Combine("refinement_head.onnx"));
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(ModelPackageErrorCode.FileMissing, error.Code);
        Assert.Equal("refinement_head.onnx", error.File);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_GraphFileAltered_ThrowsHashMismatch()
    {
        using var temp = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), temp.Path);
        File.AppendAllText(temp.Combine("vae_decoder.onnx"), " ");
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(ModelPackageErrorCode.HashMismatch, error.Code);
        Assert.Equal("files.vae_decoder.onnx", error.Key);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_ManifestShapeDisagreesWithGraph_ThrowsGraphSignatureMismatch()
    {
        using var temp = new TempDirectory();
        // The manifest says the UNet's spacing input is fixed [1, 3]; the graph has a dynamic batch axis.
        TinyPackages.CopyTo(TinyPackages.Get(), temp.Path, m =>
            Tensor(m, "diffusion_unet", "inputs", "spacing")["shape"] = new JsonArray(1, 3));
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(ModelPackageErrorCode.GraphSignatureMismatch, error.Code);
        Assert.Equal("diffusion_unet.onnx", error.File);
        Assert.Equal("graphs.diffusion_unet.inputs[spacing].shape[0]", error.Key);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_ManifestDtypeDisagreesWithGraph_ThrowsGraphSignatureMismatch()
    {
        using var temp = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), temp.Path, m => Tensor(m, "vae_encoder", "inputs", "image")["dtype"] = "float16");
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(ModelPackageErrorCode.GraphSignatureMismatch, error.Code);
        Assert.Equal("graphs.vae_encoder.inputs[image].dtype", error.Key);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Run_GraphEmitsNaN_ThrowsNonFiniteOutputNamingGraphAndOutput()
    {
        using var package = ModelPackage.Load(TinyPackages.Get(nanEncoder: true), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var image = new FloatTensor([1, 1, 16, 32, 32]);
        var error = Assert.Throws<ModelPackageException>(() =>
            package.Graph(GraphRole.VaeEncoder).Run(new Dictionary<string, object> { ["image"] = image }, CancellationToken.None));
        Assert.Equal(ModelPackageErrorCode.NonFiniteOutput, error.Code);
        Assert.Equal("vae_encoder.onnx", error.File);
        Assert.Equal("outputs[latent_mean]", error.Key);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Run_CancelledToken_ThrowsOperationCanceled()
    {
        using var package = ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            package.Graph(GraphRole.VaeEncoder).Run(new Dictionary<string, object> { ["image"] = new FloatTensor([1, 1, 16, 32, 32]) }, cancel.Token));
    }

    [Fact]
    public void Load_NoManifest_ThrowsManifestMissing()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(temp.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory()));
        Assert.Equal(ModelPackageErrorCode.ManifestMissing, error.Code);
    }

    [Fact]
    public void Load_ManifestNotJson_ThrowsManifestSyntax()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("manifest.json"), "{ \"format_version\": 1, ");
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.ValidateFiles(temp.Path));
        Assert.Equal(ModelPackageErrorCode.ManifestSyntax, error.Code);
    }

    private static ModelPackageErrorCode ExpectedCode(string edit) => edit switch
    {
        "version" => ModelPackageErrorCode.UnsupportedVersion,
        "unknown-key" or "scheduler-key-of-other-type" => ModelPackageErrorCode.UnknownKey,
        "missing-key" or "missing-graph-entry" => ModelPackageErrorCode.MissingKey,
        _ => ModelPackageErrorCode.InvalidValue,
    };

    private static void Edit(string edit, JsonObject m)
    {
        switch (edit)
        {
            case "version":
                m["format_version"] = 2;
                break;
            case "unknown-key":
                m["tiling"]!["tile_sizes"] = new JsonArray(32, 32, 16);
                break;
            case "missing-key":
                m["latent"]!.AsObject().Remove("scale_factor");
                break;
            case "bad-range":
                m["segmentation"]!["anomaly_threshold"] = 1.5;
                break;
            case "missing-graph-entry":
                m["graphs"]!.AsObject().Remove("aova_head");
                break;
            case "scheduler-key-of-other-type":
                m["scheduler"]!["use_timestep_transform"] = true;
                break;
            case "wrong-channels":
                Tensor(m, "vae_decoder", "inputs", "latent")["shape"]![1] = 8;
                break;
            case "unknown-residual-reference":
                m["inpainting"]!["residual_reference"] = "original";
                break;
            case "no-samples":
                m["inpainting"]!["samples"] = 0;
                break;
            case "unknown-average":
                m["inpainting"]!["average"] = "median";
                break;
            case "unknown-refine-within":
                m["segmentation"]!["refine_within"] = "organ";
                break;
            case "mask-threshold-out-of-range":
                m["segmentation"]!["anomaly_mask_threshold"] = 1.0;
                break;
            case "pixel-head-threshold-out-of-range":
                m["segmentation"]!["pixel_head_probability_threshold"] = 0.0;
                break;
            case "pixel-head-wrong-channels":
                m["graphs"]!["refinement_head_pixel_residual"] = m["graphs"]!["refinement_head"]!.DeepClone();
                Tensor(m, "refinement_head_pixel_residual", "inputs", "feature_residual")["shape"]![1] = 3;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), edit, null);
        }
    }

    private static JsonObject Tensor(JsonObject m, string graph, string kind, string name) =>
        m["graphs"]![graph]![kind]!.AsArray().Select(t => t!.AsObject()).Single(t => (string)t["name"]! == name);
}
