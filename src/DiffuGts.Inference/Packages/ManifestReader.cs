using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiffuGts.Inference.Packages;

/// <summary>
/// Parses <c>manifest.json</c> strictly (docs/model-package.md §2 and §8 steps 1–4): unknown and missing keys, the format
/// version, types, ranges and cross-field rules. File presence and hashes are checked by <see cref="ModelPackage"/>.
/// </summary>
internal static partial class ManifestReader
{
    public const string FileName = "manifest.json";

    private static readonly string[] RegionNames = ["head_neck", "chest", "abdomen", "pelvis"];

    public static ModelManifest Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new ModelPackageException(ModelPackageErrorCode.ManifestSyntax, FileName, null, e.Message, e);
        }

        using (document)
        {
            var root = new StrictJsonObject(document.RootElement, string.Empty, FileName);

            // Version first: a newer manifest is refused for its version, not for the keys it added (§8 step 2).
            var version = root.Int("format_version");
            if (version != ModelManifest.SupportedFormatVersion)
            {
                throw new ModelPackageException(ModelPackageErrorCode.UnsupportedVersion, FileName, "format_version",
                    $"format_version {version} is not supported (supported: {ModelManifest.SupportedFormatVersion})");
            }

            return ReadRoot(root, version);
        }
    }

    private static ModelManifest ReadRoot(StrictJsonObject root, int version)
    {
        var name = root.String("name");
        if (!PackageNamePattern().IsMatch(name))
        {
            throw root.Invalid("name", "must match [a-z0-9._-]+");
        }

        var use = root.Object("intended_use");
        var modality = use.String("modality");
        if (modality is not ("CT" or "MR"))
        {
            throw use.Invalid(use.KeyPath("modality"), "must be CT or MR");
        }

        var regions = use.Array("body_regions").Select((e, n) => ParseRegion(use, e, $"{use.KeyPath("body_regions")}[{n}]")).ToList();
        if (regions.Count == 0)
        {
            throw use.Invalid(use.KeyPath("body_regions"), "at least one body region is required");
        }

        use.Close();

        var latent = ReadLatent(root.Object("latent"));
        var features = ReadFeatures(root);
        var tiling = ReadTiling(root.Object("tiling"), latent, features);
        var spaceObject = root.Object("model_space");
        var spacing = spaceObject.NumberTriple("spacing_mm");
        Require(spaceObject, "spacing_mm", spacing.All(s => s > 0 && s <= 10), "each spacing must be in (0, 10] mm");
        spaceObject.Close();

        var conditioning = ReadConditioning(root.Object("conditioning"));
        var prompts = ReadPrompts(root.Object("prompts"));
        var scheduler = ReadScheduler(root.Object("scheduler"));
        var inpainting = ReadInpainting(root.Object("inpainting"), scheduler);
        var partial = new ModelManifest
        {
            FormatVersion = version,
            Name = name,
            Version = NonEmpty(root, "version"),
            Licence = NonEmpty(root, "licence"),
            Description = root.OptionalString("description"),
            Modality = modality,
            BodyRegions = regions,
            Intensity = ReadIntensity(root.Object("intensity")),
            SpacingMm = spacing,
            Tiling = tiling,
            Latent = latent,
            Features = features,
            Scheduler = scheduler,
            Conditioning = conditioning,
            Prompts = prompts,
            Segmentation = ReadSegmentation(root.Object("segmentation")),
            Inpainting = inpainting,
            Graphs = new Dictionary<GraphRole, GraphSpec>(),
            Provenance = ReadProvenance(root.Object("provenance")),
            Files = ReadFiles(root.Object("files")),
        };

        var manifest = partial with { Graphs = ReadGraphs(root.Object("graphs"), partial) };
        root.Close();
        CheckFileList(root, manifest);
        return manifest;
    }

    private static string NonEmpty(StrictJsonObject o, string key)
    {
        var value = o.String(key);
        Require(o, key, value.Trim().Length > 0, "must not be empty");
        return value;
    }

    private static void Require(StrictJsonObject o, string key, bool condition, string rule)
    {
        if (!condition)
        {
            throw o.Invalid(o.KeyPath(key), rule);
        }
    }

    private static BodyRegion ParseRegion(StrictJsonObject o, JsonElement e, string keyPath)
    {
        var text = o.AsString(e, keyPath);
        var index = Array.IndexOf(RegionNames, text);
        return index >= 0 ? (BodyRegion)index : throw o.Invalid(keyPath, $"unknown body region '{text}' (expected one of {string.Join(", ", RegionNames)})");
    }

    private static IntensitySpec ReadIntensity(StrictJsonObject o)
    {
        var mode = o.String("mode") switch
        {
            "window" => IntensityMode.Window,
            "percentile" => IntensityMode.Percentile,
            var other => throw o.Invalid(o.KeyPath("mode"), $"'{other}' is not window or percentile"),
        };
        double aMin = 0, aMax = 0, lower = 0, upper = 100;
        if (mode == IntensityMode.Window)
        {
            aMin = o.Number("a_min");
            aMax = o.Number("a_max");
            Require(o, "a_max", aMin < aMax, "a_min must be below a_max");
        }
        else
        {
            lower = o.Number("lower_percentile");
            upper = o.Number("upper_percentile");
            Require(o, "upper_percentile", lower >= 0 && lower < upper && upper <= 100, "need 0 ≤ lower_percentile < upper_percentile ≤ 100");
        }

        var bMin = o.Number("b_min");
        var bMax = o.Number("b_max");
        Require(o, "b_max", bMin < bMax, "b_min must be below b_max");
        var spec = new IntensitySpec(mode, aMin, aMax, lower, upper, bMin, bMax, o.Bool("clip"));
        o.Close();
        return spec;
    }

    private static LatentSpec ReadLatent(StrictJsonObject o)
    {
        var channels = o.Int("channels");
        Require(o, "channels", channels >= 1, "must be ≥ 1");
        var factor = o.Int("downsampling_factor");
        Require(o, "downsampling_factor", factor >= 1, "must be ≥ 1");
        var scale = o.Number("scale_factor");
        Require(o, "scale_factor", scale > 0, "must be > 0");
        var multiple = o.Int("unet_multiple");
        Require(o, "unet_multiple", multiple >= 1, "must be ≥ 1");
        var tile = o.IntTriple("unet_tile_size");
        Require(o, "unet_tile_size", tile.All(t => t >= multiple && t % multiple == 0), $"each size must be a positive multiple of unet_multiple ({multiple})");
        o.Close();
        return new LatentSpec(channels, factor, scale, multiple, tile);
    }

    private static List<FeatureSpec> ReadFeatures(StrictJsonObject root)
    {
        var items = root.Array("features");
        if (items.Count != 3)
        {
            throw root.Invalid("features", $"exactly three features f1, f2, f3 are required, found {items.Count}");
        }

        var features = new List<FeatureSpec>();
        for (var n = 0; n < 3; n++)
        {
            var o = new StrictJsonObject(items[n], $"features[{n}]", root.File);
            var name = o.String("name");
            Require(o, "name", name == $"f{n + 1}", $"must be f{n + 1}");
            var channels = o.Int("channels");
            Require(o, "channels", channels >= 1, "must be ≥ 1");
            var stride = o.Int("stride");
            Require(o, "stride", stride >= 1, "must be ≥ 1");
            o.Close();
            features.Add(new FeatureSpec(name, channels, stride));
        }

        return features;
    }

    private static TilingSpec ReadTiling(StrictJsonObject o, LatentSpec latent, List<FeatureSpec> features)
    {
        var multiple = o.Int("image_multiple");
        Require(o, "image_multiple", multiple >= 1 && multiple % latent.DownsamplingFactor == 0 && features.All(f => multiple % f.Stride == 0),
            "must be ≥ 1 and a multiple of latent.downsampling_factor and of every feature stride");
        Require(o, "image_multiple", multiple / latent.DownsamplingFactor % latent.UnetMultiple == 0 || latent.UnetMultiple % (multiple / latent.DownsamplingFactor) == 0,
            "image_multiple / downsampling_factor and latent.unet_multiple must divide one another");
        var tile = o.IntTriple("tile_size");
        Require(o, "tile_size", tile.All(t => t >= multiple && t % multiple == 0), $"each size must be a positive multiple of image_multiple ({multiple})");
        var overlap = o.Number("overlap");
        Require(o, "overlap", overlap is >= 0 and <= 0.75, "must be in [0, 0.75]");
        var blend = o.String("blend") switch
        {
            "gaussian" => BlendMode.Gaussian,
            "linear" => BlendMode.Linear,
            "constant" => BlendMode.Constant,
            var other => throw o.Invalid(o.KeyPath("blend"), $"'{other}' is not gaussian, linear or constant"),
        };
        var bytes = o.Number("activation_bytes_per_voxel");
        Require(o, "activation_bytes_per_voxel", bytes > 0, "must be > 0");
        o.Close();
        return new TilingSpec(tile, overlap, blend, multiple, bytes);
    }

    private static SchedulerSpec ReadScheduler(StrictJsonObject o)
    {
        var type = o.String("type") switch
        {
            "ddpm" => SchedulerType.Ddpm,
            "ddim" => SchedulerType.Ddim,
            "rflow" => SchedulerType.RectifiedFlow,
            var other => throw o.Invalid(o.KeyPath("type"), $"'{other}' is not ddpm, ddim or rflow"),
        };
        var t = o.Int("num_train_timesteps");
        Require(o, "num_train_timesteps", t >= 2, "must be ≥ 2");
        var prediction = o.String("prediction_type") switch
        {
            "epsilon" => PredictionType.Epsilon,
            "sample" => PredictionType.Sample,
            "v_prediction" => PredictionType.VPrediction,
            "x0_minus_noise" => PredictionType.X0MinusNoise,
            var other => throw o.Invalid(o.KeyPath("prediction_type"), $"'{other}' is not epsilon, sample, v_prediction or x0_minus_noise"),
        };
        var offset = o.Int("steps_offset");
        Require(o, "steps_offset", offset >= 0, "must be ≥ 0");
        SchedulerSpec spec;
        if (type == SchedulerType.RectifiedFlow)
        {
            Require(o, "prediction_type", prediction == PredictionType.X0MinusNoise, "rflow predicts x0_minus_noise");
            var numel = o.Int("base_img_size_numel");
            Require(o, "base_img_size_numel", numel > 0, "must be > 0");
            spec = new SchedulerSpec
            {
                Type = type,
                NumTrainTimesteps = t,
                PredictionType = prediction,
                StepsOffset = offset,
                UseTimestepTransform = o.Bool("use_timestep_transform"),
                BaseImageSizeNumel = numel,
            };
        }
        else
        {
            Require(o, "prediction_type", prediction != PredictionType.X0MinusNoise, "x0_minus_noise is only for rflow");
            var schedule = o.String("beta_schedule") switch
            {
                "linear_beta" => BetaSchedule.Linear,
                "scaled_linear_beta" => BetaSchedule.ScaledLinear,
                var other => throw o.Invalid(o.KeyPath("beta_schedule"), $"'{other}' is not linear_beta or scaled_linear_beta"),
            };
            var start = o.Number("beta_start");
            var end = o.Number("beta_end");
            Require(o, "beta_end", start > 0 && start < end && end < 1, "need 0 < beta_start < beta_end < 1");
            spec = new SchedulerSpec
            {
                Type = type,
                NumTrainTimesteps = t,
                PredictionType = prediction,
                BetaSchedule = schedule,
                BetaStart = start,
                BetaEnd = end,
                ClipSample = o.Bool("clip_sample"),
                StepsOffset = offset,
                SetAlphaToOne = type != SchedulerType.Ddim || o.Bool("set_alpha_to_one"),
            };
        }

        o.Close();
        return spec;
    }

    private static ConditioningSpec ReadConditioning(StrictJsonObject o)
    {
        var spec = new ConditioningSpec();
        if (o.OptionalObject("spacing") is { } s)
        {
            spec = spec with { SpacingInput = NonEmpty(s, "input"), SpacingScale = s.Number("scale") };
            Require(s, "scale", spec.SpacingScale > 0, "must be > 0");
            s.Close();
        }

        if (o.OptionalObject("body_region") is { } b)
        {
            var regions = b.Array("regions").Select((e, n) => b.AsString(e, $"{b.KeyPath("regions")}[{n}]")).ToArray();
            Require(b, "regions", regions.SequenceEqual(RegionNames), $"must be [{string.Join(", ", RegionNames)}] in that order");
            spec = spec with
            {
                TopRegionInput = NonEmpty(b, "top_input"),
                BottomRegionInput = NonEmpty(b, "bottom_input"),
                BodyRegionScale = b.Number("scale"),
                DefaultTop = ParseRegion(b, b.Required("default_top"), b.KeyPath("default_top")),
                DefaultBottom = ParseRegion(b, b.Required("default_bottom"), b.KeyPath("default_bottom")),
            };
            Require(b, "scale", spec.BodyRegionScale > 0, "must be > 0");
            b.Close();
        }

        if (o.OptionalObject("modality_class") is { } c)
        {
            spec = spec with { ModalityInput = NonEmpty(c, "input"), ModalityValue = c.Int("value") };
            Require(c, "value", spec.ModalityValue >= 0, "must be ≥ 0");
            c.Close();
        }

        o.Close();
        return spec;
    }

    private static PromptSpec ReadPrompts(StrictJsonObject o)
    {
        var mode = o.String("mode") switch
        {
            "minilm" => PromptMode.MiniLm,
            "text_encoder" => PromptMode.TextEncoder,
            "lexicon" => PromptMode.Lexicon,
            var other => throw o.Invalid(o.KeyPath("mode"), $"'{other}' is not minilm, text_encoder or lexicon"),
        };
        var dim = o.Int("embedding_dim");
        Require(o, "embedding_dim", dim >= 1, "must be ≥ 1");
        Require(o, "embedding_dim", mode != PromptMode.MiniLm || dim == 384, "minilm embeddings are 384-dimensional");
        var normal = Template(o, "normal_template");
        var abnormal = Template(o, "abnormal_template");
        Require(o, "abnormal_template", normal != abnormal, "the normal and abnormal templates must differ");
        string? vocab = null;
        var lowerCase = true;
        var maxTokens = 128;
        var encoder = o.OptionalObject("text_encoder");
        Require(o, "text_encoder", (encoder is null) == (mode != PromptMode.TextEncoder), "is required with mode text_encoder and must be null otherwise");
        if (encoder is not null)
        {
            vocab = NonEmpty(encoder, "vocab");
            lowerCase = encoder.Bool("lower_case");
            maxTokens = encoder.Int("max_tokens");
            Require(encoder, "max_tokens", maxTokens is >= 4 and <= 4096, "must be in [4, 4096]");
            encoder.Close();
        }

        var lexicon = o.OptionalString("lexicon");
        Require(o, "lexicon", (lexicon is null) == (mode != PromptMode.Lexicon), "is required with mode lexicon and must be null otherwise");
        o.Close();
        return new PromptSpec(mode, dim, normal, abnormal, vocab, lowerCase, maxTokens, lexicon);
    }

    private static string Template(StrictJsonObject o, string key)
    {
        var text = o.String(key);
        var first = text.IndexOf("{prompt}", StringComparison.Ordinal);
        Require(o, key, first >= 0 && text.IndexOf("{prompt}", first + 1, StringComparison.Ordinal) < 0, "must contain {prompt} exactly once");
        return text;
    }

    private static SegmentationSpec ReadSegmentation(StrictJsonObject o)
    {
        var anomaly = o.Number("anomaly_threshold");
        Require(o, "anomaly_threshold", anomaly is > 0 and < 1, "must be in (0, 1)");
        var dilation = o.Int("dilation_latent_voxels");
        Require(o, "dilation_latent_voxels", dilation is >= 0 and <= 16, "must be in [0, 16]");
        var probability = o.Number("probability_threshold");
        Require(o, "probability_threshold", probability is > 0 and < 1, "must be in (0, 1)");
        var minVolume = o.Number("min_lesion_volume_ml");
        Require(o, "min_lesion_volume_ml", minVolume >= 0, "must be ≥ 0");
        var region = o.OptionalString("refine_within") switch
        {
            null or "box" => RefinementRegion.Box,
            "anomaly_region" => RefinementRegion.AnomalyRegion,
            var other => throw o.Invalid(o.KeyPath("refine_within"), $"'{other}' is not box or anomaly_region"),
        };
        var anomalyMask = o.OptionalNumber("anomaly_mask_threshold");
        Require(o, "anomaly_mask_threshold", anomalyMask is null or (> 0 and < 1), "must be in (0, 1)");
        var pixelHead = o.OptionalNumber("pixel_head_probability_threshold");
        Require(o, "pixel_head_probability_threshold", pixelHead is null or (> 0 and < 1), "must be in (0, 1)");
        o.Close();
        return new SegmentationSpec(anomaly, dilation, probability, minVolume)
        {
            RefineWithin = region,
            AnomalyMaskThreshold = anomalyMask ?? anomaly,
            PixelHeadProbabilityThreshold = pixelHead ?? probability,
        };
    }

    private static InpaintingSpec ReadInpainting(StrictJsonObject o, SchedulerSpec scheduler)
    {
        var strength = o.Number("strength");
        Require(o, "strength", strength is > 0 and <= 1, "must be in (0, 1]");
        var steps = o.Int("steps");
        Require(o, "steps", steps >= 1 && steps <= scheduler.NumTrainTimesteps, $"must be in [1, {scheduler.NumTrainTimesteps}]");
        Require(o, "steps", scheduler.Type != SchedulerType.Ddim || scheduler.StepsOffset < scheduler.NumTrainTimesteps / steps,
            "scheduler.steps_offset must be below num_train_timesteps / steps");
        var eta = o.Number("eta");
        Require(o, "eta", eta is >= 0 and <= 1, "must be in [0, 1]");
        var margin = o.Int("latent_margin_voxels");
        Require(o, "latent_margin_voxels", margin is >= 0 and <= 64, "must be in [0, 64]");
        var reference = o.OptionalString("residual_reference") switch
        {
            null or "image" => ResidualReference.Image,
            "reconstruction" => ResidualReference.Reconstruction,
            var other => throw o.Invalid(o.KeyPath("residual_reference"), $"'{other}' is not image or reconstruction"),
        };
        var samples = o.OptionalInt("samples") ?? 1;
        Require(o, "samples", samples is >= 1 and <= 64, "must be in [1, 64]");
        var average = o.OptionalString("average") switch
        {
            null or "decoded" => SampleAverage.Decoded,
            "latent" => SampleAverage.Latent,
            var other => throw o.Invalid(o.KeyPath("average"), $"'{other}' is not decoded or latent"),
        };
        o.Close();
        return new InpaintingSpec(strength, steps, eta, margin) { ResidualReference = reference, Samples = samples, Average = average };
    }

    private static ProvenanceSpec ReadProvenance(StrictJsonObject o)
    {
        var commit = o.String("foundry_commit");
        Require(o, "foundry_commit", commit == "unknown" || CommitPattern().IsMatch(commit), "must be 7–40 hex digits or \"unknown\"");
        var seedElement = o.Required("seed");
        if (!seedElement.TryGetInt64(out var seed) || seed < 0)
        {
            throw o.Invalid(o.KeyPath("seed"), "must be an integer ≥ 0");
        }

        var config = o.Required("training_config");
        Require(o, "training_config", config.ValueKind == JsonValueKind.Object, "must be a JSON object");
        var opset = o.Int("opset");
        Require(o, "opset", opset is >= 13 and <= 23, "must be in [13, 23]");
        var created = o.String("created_utc");
        Require(o, "created_utc", DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), "must be an ISO 8601 time");
        var spec = new ProvenanceSpec(commit, seed, config.GetRawText(), opset, created, o.OptionalString("source_weights"));
        o.Close();
        return spec;
    }

    private static Dictionary<string, string> ReadFiles(StrictJsonObject o)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in o.Properties())
        {
            var key = o.KeyPath(property.Name);
            if (!IsSafeRelativePath(property.Name))
            {
                throw o.Invalid(key, "must be a relative path inside the package");
            }

            var hash = o.AsString(property.Value, key);
            if (!Sha256Pattern().IsMatch(hash))
            {
                throw o.Invalid(key, "must be a SHA-256 of 64 lowercase hex digits");
            }

            files.Add(property.Name, hash);
        }

        return files;
    }

    internal static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains('\\', StringComparison.Ordinal) &&
        path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    private static Dictionary<GraphRole, GraphSpec> ReadGraphs(StrictJsonObject o, ModelManifest manifest)
    {
        var graphs = new Dictionary<GraphRole, GraphSpec>();
        foreach (var role in Enum.GetValues<GraphRole>())
        {
            var key = GraphContract.ManifestKey(role);
            var wanted = role != GraphRole.TextEncoder || manifest.Prompts.Mode == PromptMode.TextEncoder;
            var graph = o.OptionalObject(key);
            if (graph is null)
            {
                if (wanted && role != GraphRole.PixelRefinementHead)
                {
                    throw new ModelPackageException(ModelPackageErrorCode.MissingKey, FileName, o.KeyPath(key), "required graph is missing");
                }

                continue;
            }

            Require(o, key, wanted, "a text_encoder graph is only allowed with prompts.mode text_encoder");
            var file = graph.String("file");
            Require(graph, "file", IsSafeRelativePath(file), "must be a relative path inside the package");
            var inputs = ReadTensors(graph, "inputs");
            var outputs = ReadTensors(graph, "outputs");
            graph.Close();
            var spec = new GraphSpec(role, file, inputs, outputs);
            CheckContract(graph, spec, manifest);
            graphs.Add(role, spec);
        }

        o.Close();
        return graphs;
    }

    private static List<TensorSpec> ReadTensors(StrictJsonObject graph, string key)
    {
        var tensors = new List<TensorSpec>();
        var items = graph.Array(key);
        for (var n = 0; n < items.Count; n++)
        {
            var t = new StrictJsonObject(items[n], $"{graph.KeyPath(key)}[{n}]", graph.File);
            var name = NonEmpty(t, "name");
            var type = t.String("dtype") switch
            {
                "float32" => TensorElementType.Fp32,
                "float16" => TensorElementType.Fp16,
                "int64" => TensorElementType.I64,
                var other => throw t.Invalid(t.KeyPath("dtype"), $"'{other}' is not float32, float16 or int64"),
            };
            var dims = new List<int?>();
            var symbols = new List<string?>();
            var shape = t.Array("shape");
            for (var d = 0; d < shape.Count; d++)
            {
                switch (shape[d].ValueKind)
                {
                    case JsonValueKind.String when shape[d].GetString() is { Length: > 0 } symbol:
                        dims.Add(null);
                        symbols.Add(symbol);
                        break;
                    case JsonValueKind.Number when shape[d].TryGetInt32(out var size) && size >= 1:
                        dims.Add(size);
                        symbols.Add(null);
                        break;
                    default:
                        throw t.Invalid($"{t.KeyPath("shape")}[{d}]", "must be a positive integer or a symbolic name");
                }
            }

            t.Close();
            if (tensors.Any(x => x.Name == name))
            {
                throw t.Invalid(t.KeyPath("name"), $"tensor '{name}' is listed twice");
            }

            tensors.Add(new TensorSpec(name, type, dims, symbols));
        }

        return tensors;
    }

    private static void CheckContract(StrictJsonObject graph, GraphSpec spec, ModelManifest manifest)
    {
        Check(graph, "inputs", spec.Inputs, GraphContract.Inputs(spec.Role, manifest), allowExtra: false);
        Check(graph, "outputs", spec.Outputs, GraphContract.Outputs(spec.Role, manifest), GraphContract.AllowsExtraOutputs(spec.Role));
    }

    private static void Check(StrictJsonObject graph, string key, IReadOnlyList<TensorSpec> listed, IReadOnlyList<GraphContract.Expected> expected, bool allowExtra)
    {
        foreach (var e in expected)
        {
            var t = listed.FirstOrDefault(x => x.Name == e.Name)
                ?? throw graph.Invalid($"{graph.KeyPath(key)}[{e.Name}]", $"required tensor '{e.Name}' is not listed");
            var path = $"{graph.KeyPath(key)}[{e.Name}]";
            if (t.Rank != e.Rank)
            {
                throw graph.Invalid($"{path}.shape", $"rank {t.Rank}, the format requires {e.Rank}");
            }

            if ((t.ElementType == TensorElementType.I64) != e.IsInteger)
            {
                throw graph.Invalid($"{path}.dtype", e.IsInteger ? "must be int64" : "must be float32 or float16");
            }

            if (e.Channels is { } channels && t.Dimensions[1] != channels)
            {
                throw graph.Invalid($"{path}.shape[1]", $"must be {channels}");
            }

            if (e.Last is { } last && t.Dimensions[^1] != last)
            {
                throw graph.Invalid($"{path}.shape[{t.Rank - 1}]", $"must be {last}");
            }
        }

        if (!allowExtra && listed.FirstOrDefault(t => expected.All(e => e.Name != t.Name)) is { } extra)
        {
            throw graph.Invalid($"{graph.KeyPath(key)}[{extra.Name}]", $"'{extra.Name}' is not a tensor of this graph role");
        }
    }

    private static void CheckFileList(StrictJsonObject root, ModelManifest manifest)
    {
        var named = manifest.Graphs.Values.Select(g => (File: g.File, Key: $"graphs.{GraphContract.ManifestKey(g.Role)}.file")).ToList();
        if (manifest.Prompts.VocabFile is { } vocab)
        {
            named.Add((vocab, "prompts.text_encoder.vocab"));
        }

        if (manifest.Prompts.LexiconFile is { } lexicon)
        {
            named.Add((lexicon, "prompts.lexicon"));
        }

        foreach (var (file, key) in named)
        {
            if (!manifest.Files.ContainsKey(file))
            {
                throw root.Invalid(key, $"'{file}' is not listed in files with its SHA-256");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex("^[0-9a-f]{7,40}$")]
    private static partial Regex CommitPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
