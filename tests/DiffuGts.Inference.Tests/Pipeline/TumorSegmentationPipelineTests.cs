using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Pipeline;

/// <summary>
/// End to end on the tiny package, whose hand-wired heads flag voxels brighter than the background: a bright sphere in a
/// flat phantom must come back as one lesion where the sphere is, and nothing elsewhere.
/// </summary>
public sealed class TumorSegmentationPipelineTests
{
    private static readonly (int X, int Y, int Z) Centre = BrightSphere.Centre;
    private const double Radius = BrightSphere.Radius;

    [CachedPythonFact("torch", "onnx")]
    public void Segment_BrightSphere_FindsOneLesionAtTheSphere()
    {
        using var package = Load();
        var result = Pipeline(package).Segment(Request(seed: 1), null, CancellationToken.None);

        var prompt = Assert.Single(result.Prompts);
        Assert.True(prompt.CandidateRegionFound);
        var lesion = Assert.Single(prompt.Lesions);
        Assert.True(lesion.Score > 0.5);
        var mask = prompt.Mask;
        Assert.True(mask[Centre.X, Centre.Y, Centre.Z] == 1, "the sphere's centre is in the mask");
        for (var k = 0; k < mask.Geometry.SizeZ; k++)
        {
            for (var j = 0; j < mask.Geometry.SizeY; j++)
            {
                for (var i = 0; i < mask.Geometry.SizeX; i++)
                {
                    if (mask[i, j, k] != 0)
                    {
                        Assert.True(Distance(i, j, k) < Radius + 6, $"voxel ({i}, {j}, {k}) is far from the sphere");
                    }
                }
            }
        }

        Assert.NotNull(prompt.PseudoHealthy);
        Assert.Equal(0f, prompt.PseudoHealthy![2, 2, 2]);
        Assert.NotEqual(400f, prompt.PseudoHealthy[Centre.X, Centre.Y, Centre.Z]);
        Assert.Contains(result.Timings, t => t.Stage == PipelineStage.Inpaint);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_SameInputPromptAndSeed_GivesSameMaskAndEvidence()
    {
        using var package = Load();
        var first = Pipeline(package).Segment(Request(seed: 5), null, CancellationToken.None).Prompts[0];
        var second = Pipeline(package).Segment(Request(seed: 5), null, CancellationToken.None).Prompts[0];
        var other = Pipeline(package).Segment(Request(seed: 6), null, CancellationToken.None).Prompts[0];

        Assert.Equal(first.Mask.Data, second.Mask.Data);
        Assert.Equal(first.PseudoHealthy!.Data, second.PseudoHealthy!.Data);
        Assert.NotEqual(first.PseudoHealthy.Data, other.PseudoHealthy!.Data);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_FlatPhantom_FindsNoCandidateAndAnEmptyMask()
    {
        using var package = Load();
        var flat = new Volume<float>(Geometry());
        var result = Pipeline(package).Segment(new SegmentationRequest(flat, ["liver tumor"]), null, CancellationToken.None);
        Assert.False(result.Prompts[0].CandidateRegionFound);
        Assert.All(result.Prompts[0].Mask.Data, v => Assert.Equal(0, v));
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_OrganConstraintExcludingSphere_GivesEmptyMask()
    {
        using var package = Load();
        var organ = new Volume<byte>(Geometry());
        organ[2, 2, 2] = 1;
        var result = Pipeline(package).Segment(Request(seed: 1) with { OrganMask = organ }, null, CancellationToken.None);
        Assert.Empty(result.Prompts[0].Lesions);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_CancelledDuringInpainting_StopsWithOperationCanceled()
    {
        using var package = Load();
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage == PipelineStage.Inpaint && p.Fraction > 0)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Pipeline(package).Segment(Request(seed: 1), progress, cancel.Token));
        Assert.True(progress.Reports.Count(r => r.Stage == PipelineStage.Inpaint) < 4, "no more than one diffusion step after the cancel");
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_DebugDirectory_WritesEachStageAsNifti()
    {
        using var package = Load();
        using var temp = new TempDirectory();
        var progress = new SynchronousProgress(_ => { });
        Pipeline(package).Segment(Request(seed: 1) with { DebugDirectory = temp.Path }, progress, CancellationToken.None);
        var names = Directory.GetFiles(temp.Path).Select(Path.GetFileName).ToList();
        foreach (var stage in new[] { "model_image", "liver_tumor_anomaly", "liver_tumor_pseudo_healthy", "liver_tumor_pixel_residual", "liver_tumor_probability", "liver_tumor_mask" })
        {
            Assert.Contains($"{stage}.nii.gz", names);
        }

        var mask = NiftiReader.Read(Path.Combine(temp.Path, "liver_tumor_mask.nii.gz"));
        Assert.True(mask.Geometry.SameGridAs(Geometry()));
        Assert.Equal(Enum.GetValues<PipelineStage>(), progress.Reports.Select(r => r.Stage).Distinct().Order());
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_ReconstructionReference_ResidualOnlyWhereTheInpaintingChangedTheLatent()
    {
        var (againstImage, model) = PixelResidual(reference: null);
        var (againstReconstruction, _) = PixelResidual("reconstruction");

        // The debug residual covers the inpainted box; the sphere is the model image's brightest voxel.
        var box = againstImage.Geometry;
        Assert.True(againstReconstruction.Geometry.SameGridAs(box));
        var m = model.Geometry;
        var brightest = Array.IndexOf(model.Data, model.Data.Max());
        var p = box.PatientToIndex(m.IndexToPatient(brightest % m.SizeX, brightest / m.SizeX % m.SizeY, brightest / (m.SizeX * m.SizeY)));
        var sphere = ((int)Math.Round(p.X), (int)Math.Round(p.Y), (int)Math.Round(p.Z));
        var farthest = Enumerable.Range(0, againstImage.Data.Length).MaxBy(n =>
            Math.Pow((n % box.SizeX) - sphere.Item1, 2) + Math.Pow((n / box.SizeX % box.SizeY) - sphere.Item2, 2) +
            Math.Pow((n / (box.SizeX * box.SizeY)) - sphere.Item3, 2));

        // |I − H| holds the VAE's reconstruction error all over the box (the tiny decoder never reproduces the flat phantom);
        // |R − H| is what the inpainting changed: the sphere, and nothing where the latent was kept.
        Assert.True(againstImage.Data[farthest] > 0);
        Assert.True(againstReconstruction[sphere.Item1, sphere.Item2, sphere.Item3] > 0, "the inpainted sphere differs from its reconstruction");
        Assert.Equal(0f, againstReconstruction.Data[farthest]);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_SeveralSamples_AveragesThatManyInpaintingsAndKeepsTheFirstSamplesNoise()
    {
        SegmentationResult Run(int? samples, string? average = null)
        {
            using var directory = new TempDirectory();
            TinyPackages.CopyTo(TinyPackages.Get(), directory.Path, m =>
            {
                if (samples is { } n)
                {
                    m["inpainting"]!["samples"] = n;
                }

                if (average is not null)
                {
                    m["inpainting"]!["average"] = average;
                }
            });
            using var package = ModelPackage.Load(directory.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory());
            return Pipeline(package).Segment(Request(seed: 3), null, CancellationToken.None);
        }

        var single = Run(null);
        var one = Run(1);
        var three = Run(3);

        Assert.Equal(single.Prompts[0].PseudoHealthy!.Data, one.Prompts[0].PseudoHealthy!.Data);  // 1 is the default
        Assert.Equal(1, single.Timings.Count(t => t.Stage == PipelineStage.Inpaint));
        Assert.Equal(3, three.Timings.Count(t => t.Stage == PipelineStage.Inpaint));
        Assert.Equal(single.Timings.Count(t => t.Stage == PipelineStage.Decode) + 2, three.Timings.Count(t => t.Stage == PipelineStage.Decode));
        Assert.NotEqual(single.Prompts[0].PseudoHealthy!.Data, three.Prompts[0].PseudoHealthy!.Data);

        // average = latent: the same three inpaintings, their mean latent decoded once, so another H.
        var threeLatent = Run(3, "latent");
        Assert.Equal(3, threeLatent.Timings.Count(t => t.Stage == PipelineStage.Inpaint));
        Assert.Equal(single.Timings.Count(t => t.Stage == PipelineStage.Decode), threeLatent.Timings.Count(t => t.Stage == PipelineStage.Decode));
        Assert.NotEqual(three.Prompts[0].PseudoHealthy!.Data, threeLatent.Prompts[0].PseudoHealthy!.Data);
        Assert.NotEqual(single.Prompts[0].PseudoHealthy!.Data, threeLatent.Prompts[0].PseudoHealthy!.Data);
        Assert.Equal(single.Prompts[0].PseudoHealthy!.Data, Run(1, "latent").Prompts[0].PseudoHealthy!.Data);  // one sample: nothing to average
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_RefineWithinAnomalyRegion_HeadTrimsTheUndilatedCandidateNeverGrowsIt()
    {
        var (boxProbability, _, boxRegion) = RefinedProbability(null);
        var (probability, anomaly, region) = RefinedProbability("anomaly_region");
        Assert.Equal(RefinementRegion.Box, boxRegion);
        Assert.Equal(RefinementRegion.AnomalyRegion, region);
        var g = probability.Geometry;
        var f = (int)Math.Round(anomaly.Geometry.Spacing.X / g.Spacing.X);
        var (kept, trimmed) = (0, 0);
        for (var z = 0; z < g.SizeZ; z++)
        {
            for (var y = 0; y < g.SizeY; y++)
            {
                for (var x = 0; x < g.SizeX; x++)
                {
                    var n = (z * g.SizeY + y) * g.SizeX + x;
                    if (anomaly.Data[((z / f) * anomaly.Geometry.SizeY + y / f) * anomaly.Geometry.SizeX + x / f] > AnomalyThreshold)
                    {
                        Assert.Equal(boxProbability.Data[n], probability.Data[n]);
                        kept += boxProbability.Data[n] > 0 ? 1 : 0;
                    }
                    else
                    {
                        Assert.Equal(0f, probability.Data[n]);
                        trimmed += boxProbability.Data[n] > 0 ? 1 : 0;
                    }
                }
            }
        }

        Assert.True(kept > 0 && trimmed > 0, $"kept {kept}, trimmed {trimmed}: the dilated box must reach beyond the candidate");
    }

    private const double AnomalyThreshold = 0.5;

    /// <summary>The debug probability and anomaly map of one run on the tiny package with <c>segmentation.refine_within</c> set (or absent).</summary>
    private static (Volume<float> Probability, Volume<float> Anomaly, RefinementRegion Region) RefinedProbability(string? within)
    {
        using var packageDirectory = new TempDirectory();
        using var debug = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), packageDirectory.Path, m =>
        {
            m["segmentation"]!["anomaly_threshold"] = AnomalyThreshold;
            m["segmentation"]!["dilation_latent_voxels"] = 2;
            if (within is not null)
            {
                m["segmentation"]!["refine_within"] = within;
            }
        });
        using var package = ModelPackage.Load(packageDirectory.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory());
        Pipeline(package).Segment(Request(seed: 1) with { DebugDirectory = debug.Path }, null, CancellationToken.None);
        return (NiftiReader.Read(Path.Combine(debug.Path, "liver_tumor_probability.nii.gz")).ToFloatVolume(),
            NiftiReader.Read(Path.Combine(debug.Path, "liver_tumor_anomaly.nii.gz")).ToFloatVolume(), package.Manifest.Segmentation.RefineWithin);
    }

    /// <summary>
    /// The debug pixel residual and model image of one run on the tiny package with <c>inpainting.residual_reference</c>
    /// set (or absent).
    /// </summary>
    private static (Volume<float> Residual, Volume<float> Model) PixelResidual(string? reference)
    {
        using var packageDirectory = new TempDirectory();
        using var debug = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), packageDirectory.Path, m =>
        {
            if (reference is not null)
            {
                m["inpainting"]!["residual_reference"] = reference;
            }
        });
        using var package = ModelPackage.Load(packageDirectory.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory());
        Assert.Equal(reference is null ? ResidualReference.Image : ResidualReference.Reconstruction, package.Manifest.Inpainting.ResidualReference);
        Pipeline(package).Segment(Request(seed: 1) with { DebugDirectory = debug.Path }, null, CancellationToken.None);
        return (NiftiReader.Read(Path.Combine(debug.Path, "liver_tumor_pixel_residual.nii.gz")).ToFloatVolume(),
            NiftiReader.Read(Path.Combine(debug.Path, "model_image.nii.gz")).ToFloatVolume());
    }

    private static ModelPackage Load() => BrightSphere.LoadTinyPackage();

    private static TumorSegmentationPipeline Pipeline(ModelPackage package) => new(package, new PromptEmbedder(package));

    private static VolumeGeometry Geometry() => BrightSphere.Geometry();

    private static SegmentationRequest Request(long seed) => BrightSphere.Request(seed);

    private static double Distance(int i, int j, int k) => BrightSphere.Distance(i, j, k);

    private sealed class SynchronousProgress(Action<SegmentationProgress> onReport) : IProgress<SegmentationProgress>
    {
        public List<SegmentationProgress> Reports { get; } = [];

        public void Report(SegmentationProgress value)
        {
            Reports.Add(value);
            onReport(value);
        }
    }
}
