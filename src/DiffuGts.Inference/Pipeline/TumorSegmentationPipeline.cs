using DiffuGts.Imaging.Operations;
using System.Diagnostics;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Prompts;
using DiffuGts.Inference.Schedulers;
using DiffuGts.Inference.Tiling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// DiffuGTS zero-shot tumour segmentation on a loaded package (docs/model-package.md §5; method note §2): normalise and
/// resample to model space → encode (VAE latent + features) → AOVA anomaly map per prompt → candidate region →
/// pseudo-healthy latent inpainting (RePaint-style known-region replacement) → decode → pixel and feature residuals →
/// refinement head → threshold, 3D components, minimum volume, organ constraint → mask on the input grid.
/// <see cref="SegmentationPipelineOptions.Variant"/> skips stages for the ablations (<see cref="PipelineVariant"/>).
/// </summary>
public sealed partial class TumorSegmentationPipeline
{
    /// <summary>Variant (d)'s mask threshold: its probability is 0.5 where both the AOVA and the residual are at their thresholds.</summary>
    private const double AnomalyResidualThreshold = 0.5;

    private readonly ModelPackage _package;
    private readonly ModelManifest _m;
    private readonly PromptEmbedder _prompts;
    private readonly SegmentationPipelineOptions _options;
    private readonly ILogger _logger;

    public TumorSegmentationPipeline(ModelPackage package, PromptEmbedder prompts, SegmentationPipelineOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(prompts);
        _package = package;
        _m = package.Manifest;
        _prompts = prompts;
        _options = options ?? new SegmentationPipelineOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ResidualThreshold, nameof(options));
        if (_options.InpaintingStrength is { } strength && !(strength > 0 && strength <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), strength, "inpainting strength must be in (0, 1]");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ResidualSmoothingMm, nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs the pipeline on a worker thread; cancellation is checked between tiles and diffusion steps and inside ORT runs.</summary>
    public Task<SegmentationResult> SegmentAsync(SegmentationRequest request, IProgress<SegmentationProgress>? progress, CancellationToken cancellationToken) =>
        Task.Run(() => Segment(request, progress, cancellationToken), cancellationToken);

    public SegmentationResult Segment(SegmentationRequest request, IProgress<SegmentationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Prompts.Count == 0)
        {
            throw new ArgumentException("at least one prompt is required", nameof(request));
        }

        if (request.OrganMask is { } organ && !organ.Geometry.SameGridAs(request.Image.Geometry))
        {
            throw new ArgumentException("the organ mask must be on the input image's grid", nameof(request));
        }

        var run = new Run(this, request, progress, cancellationToken);
        return run.Execute();
    }

    /// <summary>The model-space grid covering the input (docs/model-package.md §1), padded to <paramref name="alignment"/>.</summary>
    internal static VolumeGeometry ModelGrid(VolumeGeometry input, IReadOnlyList<double> spacing, int alignment)
    {
        var min = new double[] { double.MaxValue, double.MaxValue, double.MaxValue };
        var max = new double[] { double.MinValue, double.MinValue, double.MinValue };
        foreach (var i in new[] { 0, input.SizeX - 1 })
        {
            foreach (var j in new[] { 0, input.SizeY - 1 })
            {
                foreach (var k in new[] { 0, input.SizeZ - 1 })
                {
                    var p = input.IndexToPatient(i, j, k);
                    double[] c = [p.X, p.Y, p.Z];
                    for (var a = 0; a < 3; a++)
                    {
                        min[a] = Math.Min(min[a], c[a]);
                        max[a] = Math.Max(max[a], c[a]);
                    }
                }
            }
        }

        var size = new int[3];
        for (var a = 0; a < 3; a++)
        {
            var n = (int)Math.Floor(((max[a] - min[a]) / spacing[a]) + 1e-6) + 1;
            size[a] = (n + alignment - 1) / alignment * alignment;
        }

        return VolumeGeometry.Axial(size[0], size[1], size[2], new Vector3D(spacing[0], spacing[1], spacing[2]), new Vector3D(min[0], min[1], min[2]));
    }

    private static int Lcm(int a, int b)
    {
        static int Gcd(int x, int y) => y == 0 ? x : Gcd(y, x % y);
        return a / Gcd(a, b) * b;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>One run: the per-request state, so the pipeline object itself stays immutable and reusable.</summary>
    private sealed class Run
    {
        private readonly TumorSegmentationPipeline _p;
        private readonly ModelManifest _m;
        private readonly SegmentationRequest _request;
        private readonly IProgress<SegmentationProgress>? _progress;
        private readonly CancellationToken _ct;
        private readonly List<StageTiming> _timings = [];
        private readonly int _f;
        private readonly int _align;
        private double _aMin;
        private double _aMax;
        private PipelineStage _stage;
        private string? _prompt;

        public Run(TumorSegmentationPipeline pipeline, SegmentationRequest request, IProgress<SegmentationProgress>? progress, CancellationToken ct)
        {
            _p = pipeline;
            _m = pipeline._m;
            _request = request;
            _progress = progress;
            _ct = ct;
            _f = _m.Latent.DownsamplingFactor;
            _align = Lcm(_m.Tiling.ImageMultiple, _m.Latent.UnetMultiple * _f);
        }

        public SegmentationResult Execute()
        {
            try
            {
                // Variant (b) has no AOVA, so it needs neither prompt embeddings nor the AOVA head.
                var withAova = _p._options.Variant != PipelineVariant.ReconstructionResidual;
                var embeddings = withAova ? Stage(PipelineStage.Prompts, null, () =>
                {
                    var rows = _request.Prompts.SelectMany(prompt => _p._prompts.EmbedPair(prompt, _ct)).ToArray();
                    return new FloatTensor(rows, [_request.Prompts.Count, 2, _p._prompts.Dimension]);
                }) : null;
                var model = Stage(PipelineStage.Normalise, null, NormaliseToModelSpace);
                Debug("model_image", model);
                var (z0, logits) = Stage(PipelineStage.Encode, null, () => Encode(model, embeddings));
                if (logits is null)
                {
                    return new SegmentationResult(ReconstructionResidual(model, z0), _timings);
                }

                var results = new List<PromptSegmentation>();
                for (var n = 0; n < _request.Prompts.Count; n++)
                {
                    results.Add(SegmentPrompt(n, model, z0, logits));
                }

                return new SegmentationResult(results, _timings);
            }
            catch (Exception e) when (e is not OperationCanceledException and not InferenceStageException)
            {
                throw new InferenceStageException(_stage, _prompt, e);
            }
        }

        private T Stage<T>(PipelineStage stage, string? prompt, Func<T> body)
        {
            _stage = stage;
            _prompt = prompt;
            _ct.ThrowIfCancellationRequested();
            Report(0);
            var clock = Stopwatch.StartNew();
            var result = body();
            _timings.Add(new StageTiming(prompt, stage, clock.Elapsed));
            InferenceLog.StageFinished(_p._logger, stage, clock.ElapsedMilliseconds);
            Report(1);
            return result;
        }

        private void Report(double fraction) => _progress?.Report(new SegmentationProgress(_prompt, _stage, fraction));

        private Volume<float> NormaliseToModelSpace()
        {
            var spec = _m.Intensity;
            var input = _request.Image;
            (_aMin, _aMax) = spec.Mode == IntensityMode.Window ? (spec.AMin, spec.AMax) : Percentiles(input.Data, spec.LowerPercentile, spec.UpperPercentile);
            var normalised = input.Map(v => Normalise((float)v));
            var grid = ModelGrid(input.Geometry, _m.SpacingMm, _align);
            return Resampler.Linear(normalised, grid, (float)spec.BMin);
        }

        /// <summary>MONAI ScaleIntensityRange: (x − a_min)/(a_max − a_min)·(b_max − b_min) + b_min, optionally clipped.</summary>
        private float Normalise(float x)
        {
            var s = _m.Intensity;
            var y = ((x - _aMin) / (_aMax - _aMin) * (s.BMax - s.BMin)) + s.BMin;
            return (float)(s.Clip ? Math.Clamp(y, s.BMin, s.BMax) : y);
        }

        private float Denormalise(float y)
        {
            var s = _m.Intensity;
            return (float)(((y - s.BMin) / (s.BMax - s.BMin) * (_aMax - _aMin)) + _aMin);
        }

        private static (double Low, double High) Percentiles(float[] data, double lower, double upper)
        {
            var stride = Math.Max(1, data.Length / 1_000_000);
            var sample = data.Where((_, n) => n % stride == 0).OrderBy(v => v).ToArray();
            double At(double q) => sample[(int)Math.Round(q / 100 * (sample.Length - 1))];
            var (low, high) = (At(lower), At(upper));
            return high > low ? (low, high) : (low, low + 1);
        }

        private (int Z, int Y, int X) ImageTile() => SlidingWindow.FitToBudget(
            (_m.Tiling.TileSize[2], _m.Tiling.TileSize[1], _m.Tiling.TileSize[0]), _align, _m.Tiling.ActivationBytesPerVoxel, _p._options.MemoryBudgetBytes);

        private FloatTensor[] Window((int Z, int Y, int X) baseSize, (int Z, int Y, int X) tile, int alignment, IReadOnlyList<SlidingWindow.Part> inputs,
            IReadOnlyList<SlidingWindow.OutputPart> outputs, Func<FloatTensor[], CancellationToken, FloatTensor[]> body, bool reuseUniformTiles = false) =>
            SlidingWindow.Run(baseSize, tile, _m.Tiling.Overlap, _m.Tiling.Blend, alignment, inputs, outputs, body, _ct,
                (done, total) => Report((double)done / total), reuseUniformTiles);

        /// <summary>Latent z0 (scaled) and, when <paramref name="embeddings"/> are given, the AOVA logits per prompt on the latent grid.</summary>
        private (FloatTensor Z0, FloatTensor? Logits) Encode(Volume<float> model, FloatTensor? embeddings)
        {
            var g = model.Geometry;
            var image = new FloatTensor(model.Data, [1, 1, g.SizeZ, g.SizeY, g.SizeX]);
            var encoder = _p._package.Graph(GraphRole.VaeEncoder);
            var aova = _p._package.Graph(GraphRole.AovaHead);
            var f = _m.Features;
            List<SlidingWindow.OutputPart> parts = [new(_m.Latent.Channels, _f)];
            if (embeddings is not null)
            {
                parts.Add(new(embeddings.Shape[0], _f));
            }

            var outputs = Window((g.SizeZ, g.SizeY, g.SizeX), ImageTile(), _align, [new(image, 1)], parts,
                (tile, ct) =>
                {
                    var encoded = encoder.Run(new Dictionary<string, object> { [GraphContract.Image] = tile[0] }, ct);
                    if (embeddings is null)
                    {
                        return [encoded[GraphContract.LatentMean]];
                    }

                    var logits = aova.Run(new Dictionary<string, object>
                    {
                        [f[0].Name] = encoded[f[0].Name],
                        [f[1].Name] = encoded[f[1].Name],
                        [f[2].Name] = encoded[f[2].Name],
                        [GraphContract.PromptEmbeddings] = embeddings,
                    }, ct)[GraphContract.AnomalyLogits];
                    return [encoded[GraphContract.LatentMean], logits];
                },
                reuseUniformTiles: true); // the encoder and the AOVA head are convolutional: a tile of air encodes alike anywhere
            var z0 = outputs[0];
            var scale = (float)_m.Latent.ScaleFactor;
            for (var n = 0; n < z0.Data.Length; n++)
            {
                z0.Data[n] *= scale;
            }

            return (z0, embeddings is null ? null : outputs[1]);
        }

        /// <summary>
        /// Variant (b), AnoDDPM-style: the whole latent noised to the manifest's strength and denoised with no known region
        /// (the inpainting loop with an all-unknown mask), decoded, scored by the smoothed |I − R|. Computed once: the
        /// prompts only name the results, which are identical.
        /// </summary>
        private List<PromptSegmentation> ReconstructionResidual(Volume<float> model, FloatTensor z0)
        {
            var g = model.Geometry;
            var size = (g.SizeZ, g.SizeY, g.SizeX);
            var latent = Stage(PipelineStage.Inpaint, null, () => Inpaint(z0, null, 0));
            var reconstruction = Stage(PipelineStage.Decode, null, () => Decode(latent, size));
            var image = new FloatTensor(model.Data, [1, 1, g.SizeZ, g.SizeY, g.SizeX]);
            var residual = Stage(PipelineStage.Residuals, null, () => SmoothedResidual(image, reconstruction, g));
            Debug("reconstruction", new Volume<float>(g, reconstruction.Data));
            Debug("reconstruction_residual", new Volume<float>(g, residual.Data));
            var evidence = PseudoHealthyOnInput(g, (0, 0, 0), size, reconstruction);
            return
            [
                .. _request.Prompts.Select(prompt => Finish(prompt, Stopwatch.StartNew(),
                    () => PostProcess(prompt, new Volume<float>(g, residual.Data), _p._options.ResidualThreshold, evidence))),
            ];
        }

        private PromptSegmentation SegmentPrompt(int index, Volume<float> model, FloatTensor z0, FloatTensor logits)
        {
            var prompt = _request.Prompts[index];
            var clock = Stopwatch.StartNew();
            var latentSize = z0.Spatial;
            var plane = latentSize.Z * latentSize.Y * latentSize.X;
            var anomaly = logits.Data.AsSpan(index * plane, plane).ToArray().Select(Sigmoid).ToArray();
            Debug($"{Slug(prompt)}_anomaly", LatentVolume(model.Geometry, anomaly, latentSize));
            var g = model.Geometry;
            var seg = _m.Segmentation;
            if (_p._options.Variant == PipelineVariant.AnomalyMap)
            {
                // Variant (c): the AOVA probability alone, on the model grid, thresholded at the package's mask threshold
                // for the AOVA alone (the candidate threshold unless the manifest names one).
                var map = new Volume<float>(g, VolumeOps.Upsample(anomaly, latentSize, _f));
                Debug($"{Slug(prompt)}_probability", map);
                var found = anomaly.Any(a => a > seg.AnomalyMaskThreshold);
                return Finish(prompt, clock, () => PostProcess(prompt, map, seg.AnomalyMaskThreshold, null) with { CandidateRegionFound = found });
            }

            var box = Stage(PipelineStage.Candidates, prompt, () => CandidateBox(anomaly, latentSize));
            var input = _request.Image.Geometry;
            if (box is null)
            {
                InferenceLog.PromptFinished(_p._logger, prompt, 0, 0, clock.ElapsedMilliseconds);
                return new PromptSegmentation(prompt, new Volume<byte>(input), [], new Volume<float>(input), null, false);
            }

            var (lo, size, mask) = box.Value;
            var zBox = SlidingWindow.Crop(z0, lo.Z, lo.Y, lo.X, size.Z, size.Y, size.X);
            var imageSize = (size.Z * _f, size.Y * _f, size.X * _f);
            var imageLo = (Z: lo.Z * _f, Y: lo.Y * _f, X: lo.X * _f);
            var modelTensor = new FloatTensor(model.Data, [1, 1, g.SizeZ, g.SizeY, g.SizeX]);
            var imageBox = SlidingWindow.Crop(modelTensor, imageLo.Z, imageLo.Y, imageLo.X, imageSize.Item1, imageSize.Item2, imageSize.Item3);
            var healthy = PseudoHealthy(zBox, mask, index, imageSize, prompt);
            var reference = ResidualReferenceBox(imageBox, zBox, imageSize, prompt);
            // Upsampled on the whole latent grid, then cropped: the box's map is c's map there, also at the box's faces.
            var anomalyMap = SlidingWindow.Crop(new FloatTensor(VolumeOps.Upsample(anomaly, latentSize, _f), [1, 1, g.SizeZ, g.SizeY, g.SizeX]),
                imageLo.Z, imageLo.Y, imageLo.X, imageSize.Item1, imageSize.Item2, imageSize.Item3);
            FloatTensor pixel;
            FloatTensor probabilityBox;
            var pixelHead = _p._options.Variant == PipelineVariant.AnomalyResidual && _p._package.HasGraph(GraphRole.PixelRefinementHead);
            if (_p._options.Variant == PipelineVariant.AnomalyResidual && !pixelHead)
            {
                // Variant (d) of a package without a pixel head: p = min(1, a / 2t, r / 2τ) with a the AOVA probability,
                // t the anomaly mask threshold (c's) and r the smoothed pixel residual: p > 0.5 exactly where c's mask
                // (a > t) has a residual above τ, so d is c with the residual's veto. No feature residual, no refinement
                // head, and not the head's probability threshold.
                var boxGeometry = BoxVolume(g, imageLo, imageSize, new float[anomalyMap.Data.Length]).Geometry;
                pixel = Stage(PipelineStage.Residuals, prompt, () => SmoothedResidual(reference, healthy, boxGeometry));
                var (aScale, rScale) = ((float)(2 * seg.AnomalyMaskThreshold), (float)(2 * _p._options.ResidualThreshold));
                probabilityBox = new FloatTensor([.. anomalyMap.Data.Zip(pixel.Data, (a, r) => Math.Min(1f, Math.Min(a / aScale, r / rScale)))], anomalyMap.Shape);
            }
            else
            {
                pixel = PixelResidual(reference, healthy);
                // Variant (d) with the package's pixel head: no re-encoding; the head reads zeros for the feature residual
                // it was trained without.
                var f3 = _m.Features[2];
                var feature = pixelHead
                    ? new FloatTensor([1, f3.Channels, imageSize.Item1 / f3.Stride, imageSize.Item2 / f3.Stride, imageSize.Item3 / f3.Stride])
                    : Stage(PipelineStage.Residuals, prompt, () => FeatureResidual(reference, healthy, imageSize));
                var head = pixelHead ? GraphRole.PixelRefinementHead : GraphRole.RefinementHead;
                probabilityBox = Stage(PipelineStage.Refine, prompt, () => Refine(head, imageBox, healthy, pixel, feature, anomalyMap, imageSize));
                if (seg.RefineWithin == RefinementRegion.AnomalyRegion)
                {
                    KeepAnomalyRegion(probabilityBox, anomaly, latentSize, lo, size);
                }
            }

            var modelProbability = new FloatTensor([1, 1, g.SizeZ, g.SizeY, g.SizeX]);
            SlidingWindow.Paste(probabilityBox, modelProbability, imageLo.Z, imageLo.Y, imageLo.X);
            var modelHealthy = new FloatTensor((float[])model.Data.Clone(), [1, 1, g.SizeZ, g.SizeY, g.SizeX]);
            SlidingWindow.Paste(healthy, modelHealthy, imageLo.Z, imageLo.Y, imageLo.X);
            Debug($"{Slug(prompt)}_pseudo_healthy", new Volume<float>(g, modelHealthy.Data));
            Debug($"{Slug(prompt)}_pixel_residual", BoxVolume(g, imageLo, imageSize, pixel.Data));
            Debug($"{Slug(prompt)}_probability", new Volume<float>(g, modelProbability.Data));

            var threshold = _p._options.Variant != PipelineVariant.AnomalyResidual ? seg.ProbabilityThreshold
                : pixelHead ? seg.PixelHeadProbabilityThreshold : AnomalyResidualThreshold;
            return Finish(prompt, clock, () => PostProcess(prompt, new Volume<float>(g, modelProbability.Data), threshold,
                PseudoHealthyOnInput(g, imageLo, imageSize, healthy)));
        }

        /// <summary>The post-processing stage of one prompt, its debug mask and its log line.</summary>
        private PromptSegmentation Finish(string prompt, Stopwatch clock, Func<PromptSegmentation> postProcess)
        {
            var result = Stage(PipelineStage.PostProcess, prompt, postProcess);
            Debug($"{Slug(prompt)}_mask", result.Mask.Map(v => (float)v));
            var voxels = result.Lesions.Sum(l => l.VoxelCount);
            InferenceLog.PromptFinished(_p._logger, prompt, result.Lesions.Count, voxels, clock.ElapsedMilliseconds);
            return result;
        }

        /// <summary>
        /// p = 0 on the box's voxels whose latent voxel has anomaly ≤ the threshold (manifest <c>refine_within</c> =
        /// anomaly_region): the head trims the AOVA's undilated candidate, never grows it.
        /// </summary>
        private void KeepAnomalyRegion(FloatTensor probabilityBox, float[] anomaly, (int Z, int Y, int X) latent,
            (int Z, int Y, int X) lo, (int Z, int Y, int X) size)
        {
            var threshold = _m.Segmentation.AnomalyThreshold;
            var (nz, ny, nx) = (size.Z * _f, size.Y * _f, size.X * _f);
            var data = probabilityBox.Data;
            for (var z = 0; z < nz; z++)
            {
                for (var y = 0; y < ny; y++)
                {
                    var row = ((lo.Z + z / _f) * latent.Y + lo.Y + y / _f) * latent.X + lo.X;
                    for (var x = 0; x < nx; x++)
                    {
                        if (!(anomaly[row + x / _f] > threshold))
                        {
                            data[(z * ny + y) * nx + x] = 0f;
                        }
                    }
                }
            }
        }

        /// <summary>Candidate region M (anomaly > threshold, dilated) and its aligned bounding box on the latent grid.</summary>
        private ((int Z, int Y, int X) Lo, (int Z, int Y, int X) Size, bool[] Mask)? CandidateBox(float[] anomaly, (int Z, int Y, int X) latent)
        {
            var seg = _m.Segmentation;
            var m = VolumeOps.Dilate([.. anomaly.Select(a => a > seg.AnomalyThreshold)], latent, seg.DilationLatentVoxels);
            if (!m.Any(v => v))
            {
                return null;
            }

            int[] lo = [int.MaxValue, int.MaxValue, int.MaxValue];
            int[] hi = [-1, -1, -1];
            for (var n = 0; n < m.Length; n++)
            {
                if (m[n])
                {
                    var (k, rest) = Math.DivRem(n, latent.Y * latent.X);
                    var (j, i) = Math.DivRem(rest, latent.X);
                    int[] c = [k, j, i];
                    for (var a = 0; a < 3; a++)
                    {
                        lo[a] = Math.Min(lo[a], c[a]);
                        hi[a] = Math.Max(hi[a], c[a]);
                    }
                }
            }

            int[] sizes = [latent.Z, latent.Y, latent.X];
            var alignment = _align / _f;
            var margin = _m.Inpainting.LatentMarginVoxels;
            for (var a = 0; a < 3; a++)
            {
                var start = Math.Max(0, lo[a] - margin);
                var end = Math.Min(sizes[a] - 1, hi[a] + margin);
                var length = Math.Min(sizes[a], (end - start + alignment) / alignment * alignment);
                start = Math.Clamp(start - ((length - (end - start + 1)) / 2), 0, sizes[a] - length);
                lo[a] = start;
                hi[a] = length;
            }

            var boxMask = SlidingWindow.Crop(new FloatTensor([.. m.Select(v => v ? 1f : 0f)], [1, 1, latent.Z, latent.Y, latent.X]), lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]);
            return ((lo[0], lo[1], lo[2]), (hi[0], hi[1], hi[2]), [.. boxMask.Data.Select(v => v > 0.5f)]);
        }

        /// <summary>
        /// Pseudo-healthy latent inpainting: x = add_noise(z0, ε, t_start), then per step the scheduler update inside M and
        /// the forward-noised original outside it (RePaint known-region replacement; method note §6). With no
        /// <paramref name="mask"/> every voxel is unknown: plain partial-noise reconstruction (AnoDDPM, variant b).
        /// </summary>
        private FloatTensor Inpaint(FloatTensor z0, bool[]? mask, int promptIndex, int sample = 0)
        {
            var spec = _m.Inpainting;
            var steps = _p._options.InpaintingSteps ?? spec.Steps;
            var scheduler = SchedulerFactory.Create(_m.Scheduler, spec.Eta);
            var (lz, ly, lx) = z0.Spatial;
            scheduler.SetTimesteps(steps, (long)lz * ly * lx);
            var start = steps - (int)Math.Ceiling(steps * (_p._options.InpaintingStrength ?? spec.Strength));
            var noise = new SeededGaussian(_request.Seed + (7919L * promptIndex) + (104_729L * sample));
            var eps = new float[z0.Data.Length];
            noise.Fill(eps);
            var x = new float[eps.Length];
            scheduler.AddNoise(z0.Data, eps, scheduler.Timesteps[start], x);
            var next = new float[x.Length];
            var x0 = new float[x.Length];
            var known = new float[x.Length];
            var plane = lz * ly * lx;
            var unet = _p._package.Graph(GraphRole.DiffusionUnet);
            var unetTile = (_m.Latent.UnetTileSize[2], _m.Latent.UnetTileSize[1], _m.Latent.UnetTileSize[0]);
            for (var i = start; i < steps; i++)
            {
                _ct.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var t = scheduler.Timesteps[i];
                var conditioning = Conditioning(t);
                var prediction = SlidingWindow.Run((lz, ly, lx), unetTile, _m.Tiling.Overlap, _m.Tiling.Blend, _m.Latent.UnetMultiple,
                    [new(new FloatTensor(x, z0.Shape), 1)], [new(_m.Latent.Channels, 1)],
                    (tile, ct) =>
                    {
                        var inputs = new Dictionary<string, object>(conditioning) { [GraphContract.Latent] = tile[0] };
                        return [unet.Run(inputs, ct)[GraphContract.Prediction]];
                    }, _ct)[0];
                scheduler.Denoise(prediction.Data, i, x, next, x0, noise);
                if (mask is null)
                {
                    (x, next) = (next, x);
                }
                else
                {
                    scheduler.AddNoise(z0.Data, eps, scheduler.NextTimestep(i), known);
                    for (var n = 0; n < x.Length; n++)
                    {
                        x[n] = mask[n % plane] ? next[n] : known[n];
                    }
                }

                InferenceLog.DiffusionStep(_p._logger, i - start + 1, steps - start, t, clock.ElapsedMilliseconds);
                Report((double)(i - start + 1) / (steps - start));
            }

            return new FloatTensor(x, z0.Shape);
        }

        /// <summary>
        /// H: the package's <see cref="InpaintingSpec.Samples"/> inpaintings of the box (each its own noise; sample 0 draws
        /// what a single-sample package draws), averaged as <see cref="InpaintingSpec.Average"/> says: decoded images, or
        /// latents decoded once.
        /// </summary>
        private FloatTensor PseudoHealthy(FloatTensor zBox, bool[] mask, int promptIndex, (int Z, int Y, int X) imageSize, string prompt)
        {
            var inpaintedOnly = _m.Inpainting.Average == SampleAverage.Latent;
            FloatTensor Sample(int s)
            {
                var inpainted = Stage(PipelineStage.Inpaint, prompt, () => Inpaint(zBox, mask, promptIndex, s));
                return inpaintedOnly ? inpainted : Stage(PipelineStage.Decode, prompt, () => Decode(inpainted, imageSize));
            }

            var samples = _m.Inpainting.Samples;
            var sum = Sample(0);
            for (var s = 1; s < samples; s++)
            {
                var next = Sample(s);
                for (var n = 0; n < sum.Data.Length; n++)
                {
                    sum.Data[n] += next.Data[n];
                }
            }

            for (var n = 0; samples > 1 && n < sum.Data.Length; n++)
            {
                sum.Data[n] /= samples;
            }

            return inpaintedOnly ? Stage(PipelineStage.Decode, prompt, () => Decode(sum, imageSize)) : sum;
        }

        /// <summary>UNet conditioning for a healthy scan (method note §5.5): spacing ×100, body region one-hot ×100, modality class.</summary>
        private Dictionary<string, object> Conditioning(double t)
        {
            var c = _m.Conditioning;
            var inputs = new Dictionary<string, object>(StringComparer.Ordinal) { [GraphContract.Timestep] = new FloatTensor([(float)t], [1]) };
            if (c.SpacingInput is { } spacing)
            {
                inputs[spacing] = new FloatTensor([.. _m.SpacingMm.Select(s => (float)(s * c.SpacingScale))], [1, 3]);
            }

            if (c.TopRegionInput is { } top && c.BottomRegionInput is { } bottom)
            {
                inputs[top] = OneHot(_request.TopRegion ?? c.DefaultTop, c.BodyRegionScale);
                inputs[bottom] = OneHot(_request.BottomRegion ?? c.DefaultBottom, c.BodyRegionScale);
            }

            if (c.ModalityInput is { } modality)
            {
                inputs[modality] = new[] { c.ModalityValue };
            }

            return inputs;

            static FloatTensor OneHot(BodyRegion region, double scale)
            {
                var v = new float[4];
                v[(int)region] = (float)scale;
                return new FloatTensor(v, [1, 4]);
            }
        }

        private FloatTensor Decode(FloatTensor latent, (int Z, int Y, int X) imageSize)
        {
            var scaled = new FloatTensor([.. latent.Data.Select(v => (float)(v / _m.Latent.ScaleFactor))], latent.Shape);
            var decoder = _p._package.Graph(GraphRole.VaeDecoder);
            return Window(imageSize, ImageTile(), _align, [new(scaled, _f)], [new(1, 1)],
                (tile, ct) => [decoder.Run(new Dictionary<string, object> { [GraphContract.Latent] = tile[0] }, ct)[GraphContract.Image]])[0];
        }

        /// <summary>
        /// What H is compared with (docs/model-package.md §5 step 7): the image box, or the VAE's reconstruction of the
        /// box (one more decode of the original latent), as the package's refinement head was trained.
        /// </summary>
        private FloatTensor ResidualReferenceBox(FloatTensor imageBox, FloatTensor zBox, (int Z, int Y, int X) imageSize, string prompt) =>
            _m.Inpainting.ResidualReference == ResidualReference.Reconstruction
                ? Stage(PipelineStage.Decode, prompt, () => Decode(zBox, imageSize))
                : imageBox;

        /// <summary>Pixel residual |I − H| or |R − H| (docs/model-package.md §5 step 7).</summary>
        private static FloatTensor PixelResidual(FloatTensor image, FloatTensor healthy) =>
            new([.. image.Data.Zip(healthy.Data, (a, b) => Math.Abs(a - b))], image.Shape);

        /// <summary>The pixel residual smoothed by a Gaussian of σ = ResidualSmoothingMm on <paramref name="geometry"/> (residual ablations).</summary>
        private FloatTensor SmoothedResidual(FloatTensor image, FloatTensor reconstruction, VolumeGeometry geometry)
        {
            var residual = new Volume<float>(geometry, PixelResidual(image, reconstruction).Data);
            return new FloatTensor(GaussianSmoothing.Smooth(residual, _p._options.ResidualSmoothingMm).Data, image.Shape);
        }

        /// <summary>Feature residual f3(I) − f3(H) or f3(R) − f3(H), both re-encoded (docs/model-package.md §5 step 7).</summary>
        private FloatTensor FeatureResidual(FloatTensor image, FloatTensor healthy, (int Z, int Y, int X) imageSize)
        {
            var f3 = _m.Features[2];
            var encoder = _p._package.Graph(GraphRole.VaeEncoder);
            var features = Window(imageSize, ImageTile(), _align, [new(image, 1), new(healthy, 1)], [new(f3.Channels, f3.Stride), new(f3.Channels, f3.Stride)],
                (tile, ct) =>
                [
                    encoder.Run(new Dictionary<string, object> { [GraphContract.Image] = tile[0] }, ct, [f3.Name])[f3.Name],
                    encoder.Run(new Dictionary<string, object> { [GraphContract.Image] = tile[1] }, ct, [f3.Name])[f3.Name],
                ]);
            return new FloatTensor([.. features[0].Data.Zip(features[1].Data, (a, b) => a - b)], features[0].Shape);
        }

        private FloatTensor Refine(GraphRole role, FloatTensor image, FloatTensor healthy, FloatTensor pixel, FloatTensor feature, FloatTensor anomalyMap, (int Z, int Y, int X) imageSize)
        {
            var head = _p._package.Graph(role);
            var stride = _m.Features[2].Stride;
            var logit = Window(imageSize, ImageTile(), _align,
                [new(image, 1), new(healthy, 1), new(pixel, 1), new(feature, stride), new(anomalyMap, 1)], [new(1, 1)],
                (tile, ct) => [head.Run(new Dictionary<string, object>
                {
                    [GraphContract.Image] = tile[0],
                    [GraphContract.PseudoHealthy] = tile[1],
                    [GraphContract.PixelResidual] = tile[2],
                    [GraphContract.FeatureResidual] = tile[3],
                    [GraphContract.AnomalyMap] = tile[4],
                }, ct)[GraphContract.LesionLogit]])[0];
            return new FloatTensor([.. logit.Data.Select(Sigmoid)], logit.Shape);
        }

        /// <summary>Score → input grid → score &gt; <paramref name="threshold"/> (within the organ) → 26-components ≥ the minimum volume.</summary>
        private PromptSegmentation PostProcess(string prompt, Volume<float> modelProbability, double threshold, Volume<float>? pseudoHealthy)
        {
            var input = _request.Image.Geometry;
            var seg = _m.Segmentation;
            var probability = Resampler.Linear(modelProbability, input, 0f);
            var binary = new Volume<byte>(input);
            for (var n = 0; n < binary.Data.Length; n++)
            {
                binary.Data[n] = (byte)(probability.Data[n] > threshold && (_request.OrganMask is null || _request.OrganMask.Data[n] != 0) ? 1 : 0);
            }

            var components = ConnectedComponents.Label(binary, Connectivity.Full26);
            var labels = components.Labels.Data;
            var sizes = components.Sizes;
            var voxelMl = input.Spacing.X * input.Spacing.Y * input.Spacing.Z / 1000.0;
            var scores = new double[sizes.Count + 1];
            for (var n = 0; n < labels.Length; n++)
            {
                scores[labels[n]] = Math.Max(scores[labels[n]], probability.Data[n]);
            }

            // Keep components of at least the minimum volume; labels are renumbered by descending score (a byte holds 255).
            var kept = Enumerable.Range(1, sizes.Count).Where(l => sizes[l - 1] * voxelMl >= seg.MinLesionVolumeMl)
                .OrderByDescending(l => scores[l]).Take(byte.MaxValue).ToList();
            var relabel = new byte[sizes.Count + 1];
            var lesions = new List<LesionFinding>();
            for (var n = 0; n < kept.Count; n++)
            {
                relabel[kept[n]] = (byte)(n + 1);
                lesions.Add(new LesionFinding(n + 1, sizes[kept[n] - 1], sizes[kept[n] - 1] * voxelMl, scores[kept[n]]));
            }

            var mask = new Volume<byte>(input);
            for (var n = 0; n < labels.Length; n++)
            {
                mask.Data[n] = relabel[labels[n]];
            }

            return new PromptSegmentation(prompt, mask, lesions, probability, pseudoHealthy, true);
        }

        /// <summary>The evidence image on the input grid: the input itself outside the inpainted box, H (in input units) inside it.</summary>
        private Volume<float> PseudoHealthyOnInput(VolumeGeometry model, (int Z, int Y, int X) lo, (int Z, int Y, int X) size, FloatTensor healthy)
        {
            var boxVolume = BoxVolume(model, lo, size, [.. healthy.Data.Select(Denormalise)]);
            var resampled = Resampler.Linear(boxVolume, _request.Image.Geometry, float.NaN);
            var result = new Volume<float>(_request.Image.Geometry);
            for (var n = 0; n < result.Data.Length; n++)
            {
                result.Data[n] = float.IsNaN(resampled.Data[n]) ? _request.Image.Data[n] : resampled.Data[n];
            }

            return result;
        }

        private static Volume<float> BoxVolume(VolumeGeometry model, (int Z, int Y, int X) lo, (int Z, int Y, int X) size, float[] data)
        {
            var origin = model.IndexToPatient(lo.X, lo.Y, lo.Z);
            return new Volume<float>(new VolumeGeometry(size.X, size.Y, size.Z, origin, model.Spacing, model.Direction), data);
        }

        private Volume<float> LatentVolume(VolumeGeometry model, float[] data, (int Z, int Y, int X) latent)
        {
            // A latent voxel covers f×f×f image voxels; its centre sits (f − 1)/2 voxels in.
            var half = (_f - 1) / 2.0;
            var origin = model.IndexToPatient(half, half, half);
            var geometry = new VolumeGeometry(latent.X, latent.Y, latent.Z, origin, model.Spacing * _f, model.Direction);
            return new Volume<float>(geometry, data);
        }

        private void Debug(string name, Volume<float> volume)
        {
            if (_request.DebugDirectory is { } folder)
            {
                Directory.CreateDirectory(folder);
                NiftiWriter.Write(Path.Combine(folder, $"{name}.nii.gz"), volume, new NiftiWriteOptions { Description = $"DiffuGts {name}" });
            }
        }

        private static string Slug(string prompt) =>
            new([.. PromptAliases.Normalise(prompt).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
    }
}
