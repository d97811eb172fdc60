using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Pipeline;

/// <summary>
/// The ablation switch (<see cref="PipelineVariant"/>, docs/evaluation.md methods b–d) on the tiny package, whose AOVA
/// head flags voxels brighter than the background with a small prompt-dependent term: each variant runs only its
/// stages, is reproducible by seed, and differs from the others where the method says it must.
/// </summary>
public sealed class PipelineVariantTests
{
    private static readonly (int X, int Y, int Z) Centre = BrightSphere.Centre;

    public static TheoryData<PipelineVariant, PipelineStage[], PipelineStage[]> Stages => new()
    {
        { PipelineVariant.ReconstructionResidual, [PipelineStage.Encode, PipelineStage.Inpaint, PipelineStage.Decode, PipelineStage.Residuals],
            [PipelineStage.Prompts, PipelineStage.Candidates, PipelineStage.Refine] },
        { PipelineVariant.AnomalyMap, [PipelineStage.Prompts, PipelineStage.Encode, PipelineStage.PostProcess],
            [PipelineStage.Candidates, PipelineStage.Inpaint, PipelineStage.Decode, PipelineStage.Residuals, PipelineStage.Refine] },
        { PipelineVariant.AnomalyResidual, [PipelineStage.Candidates, PipelineStage.Inpaint, PipelineStage.Decode, PipelineStage.Residuals],
            [PipelineStage.Refine] },
        { PipelineVariant.Full, [PipelineStage.Candidates, PipelineStage.Inpaint, PipelineStage.Residuals, PipelineStage.Refine], [] },
    };

    public static TheoryData<PipelineVariant> Ablations => [PipelineVariant.ReconstructionResidual, PipelineVariant.AnomalyMap, PipelineVariant.AnomalyResidual];

    [PythonTheory("torch", "onnx")]
    [MemberData(nameof(Stages))]
    public void Segment_Variant_RunsOnlyItsStagesAndAnswersOnTheInputGrid(PipelineVariant variant, PipelineStage[] runs, PipelineStage[] skips)
    {
        using var package = Load();
        var result = Pipeline(package, variant).Segment(Request(["liver tumor"], seed: 1), null, CancellationToken.None);

        var stages = result.Timings.Select(t => t.Stage).ToHashSet();
        Assert.All(runs, s => Assert.Contains(s, stages));
        Assert.All(skips, s => Assert.DoesNotContain(s, stages));
        var prompt = Assert.Single(result.Prompts);
        Assert.True(prompt.Mask.Geometry.SameGridAs(BrightSphere.Geometry()));
        Assert.True(prompt.Probability.Geometry.SameGridAs(BrightSphere.Geometry()));
    }

    [PythonTheory("torch", "onnx")]
    [MemberData(nameof(Ablations))]
    public void Segment_AblationSameSeed_GivesSameScoreAndMask(PipelineVariant variant)
    {
        using var package = Load();
        var first = Pipeline(package, variant).Segment(Request(["liver tumor"], seed: 5), null, CancellationToken.None).Prompts[0];
        var second = Pipeline(package, variant).Segment(Request(["liver tumor"], seed: 5), null, CancellationToken.None).Prompts[0];

        Assert.Equal(first.Probability.Data, second.Probability.Data);
        Assert.Equal(first.Mask.Data, second.Mask.Data);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_ReconstructionResidual_IgnoresThePromptButNotTheSeed()
    {
        using var package = Load();
        var pipeline = Pipeline(package, PipelineVariant.ReconstructionResidual);
        var result = pipeline.Segment(Request(["liver tumor", "lung nodule"], seed: 5), null, CancellationToken.None);
        var other = pipeline.Segment(Request(["liver tumor"], seed: 6), null, CancellationToken.None);

        Assert.Equal(result.Prompts[0].Probability.Data, result.Prompts[1].Probability.Data);
        Assert.Equal(result.Prompts[0].Mask.Data, result.Prompts[1].Mask.Data);
        Assert.NotEqual(result.Prompts[0].Probability.Data, other.Prompts[0].Probability.Data);
        Assert.NotNull(result.Prompts[0].PseudoHealthy);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_AnomalyMap_DependsOnThePromptAndNotOnTheSeed()
    {
        using var package = Load();
        var pipeline = Pipeline(package, PipelineVariant.AnomalyMap);
        var result = pipeline.Segment(Request(["liver tumor", "lung nodule"], seed: 5), null, CancellationToken.None);
        var other = pipeline.Segment(Request(["liver tumor"], seed: 6), null, CancellationToken.None);

        Assert.NotEqual(result.Prompts[0].Probability.Data, result.Prompts[1].Probability.Data);
        Assert.Equal(result.Prompts[0].Probability.Data, other.Prompts[0].Probability.Data);
        var prompt = result.Prompts[0];
        Assert.True(prompt.CandidateRegionFound);
        Assert.NotEqual(0, prompt.Mask[Centre.X, Centre.Y, Centre.Z]);
        Assert.Equal(0, prompt.Mask[2, 2, 2]);
        Assert.Null(prompt.PseudoHealthy);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_AnomalyResidual_KeepsOnlyPartsOfTheAnomalyMapsCandidate()
    {
        using var package = Load();
        var request = Request(["liver tumor"], seed: 5);
        var anomaly = FirstPrompt(package, PipelineVariant.AnomalyMap, request);
        var product = FirstPrompt(package, PipelineVariant.AnomalyResidual, request);
        var twoT = 2 * package.Manifest.Segmentation.AnomalyThreshold;

        Assert.NotEqual(anomaly.Probability.Data, product.Probability.Data);
        for (var n = 0; n < product.Probability.Data.Length; n++)
        {
            // p = min(1, a / 2t, r / 2τ) ≤ a / 2t (both resampled with the same weights); a small slack for rounding.
            Assert.True(product.Probability.Data[n] <= (anomaly.Probability.Data[n] / twoT) + 1e-5, $"voxel {n}");
            // So its mask (p > 0.5) lies inside the AOVA's own (a > t): the residual only removes candidate voxels.
            Assert.True(product.Mask.Data[n] == 0 || anomaly.Mask.Data[n] != 0, $"voxel {n}");
        }

        Assert.NotNull(product.PseudoHealthy);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_AnomalyMaskThreshold_ThresholdsTheAnomalyMapAloneAndDsMaskButLeavesTheCandidateRegionAsItWas()
    {
        using var package = Load();
        var request = Request(["liver tumor"], seed: 5);
        var before = FirstPrompt(package, PipelineVariant.AnomalyMap, request);
        var full = FirstPrompt(package, PipelineVariant.Full, request);
        Assert.Equal(package.Manifest.Segmentation.AnomalyThreshold, package.Manifest.Segmentation.AnomalyMaskThreshold);
        var inside = before.Probability.Data.Where((_, n) => before.Mask.Data[n] != 0).Order().ToArray();
        var maskThreshold = inside[inside.Length / 2];  // half of c's mask lies above it

        using var directory = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), directory.Path, m => m["segmentation"]!["anomaly_mask_threshold"] = maskThreshold);
        using var edited = ModelPackage.Load(directory.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var after = FirstPrompt(edited, PipelineVariant.AnomalyMap, request);
        var editedFull = FirstPrompt(edited, PipelineVariant.Full, request);

        Assert.Equal(before.Probability.Data, after.Probability.Data);
        var (kept, was) = (after.Mask.Data.Count(v => v != 0), before.Mask.Data.Count(v => v != 0));
        Assert.True(kept > 0 && kept < was, $"c's mask: {kept} voxels at the mask threshold, {was} at the candidate threshold");
        Assert.All(Enumerable.Range(0, after.Mask.Data.Length), n => Assert.True(after.Mask.Data[n] == 0 || before.Mask.Data[n] != 0));
        Assert.Equal(full.Mask.Data, editedFull.Mask.Data);  // e's candidate region still at anomaly_threshold
        Assert.Equal(full.Probability.Data, editedFull.Probability.Data);
        var residual = FirstPrompt(edited, PipelineVariant.AnomalyResidual, request);
        Assert.Contains(residual.Mask.Data, v => v != 0);
        Assert.All(Enumerable.Range(0, residual.Mask.Data.Length), n => Assert.True(residual.Mask.Data[n] == 0 || after.Mask.Data[n] != 0));  // d trims c's mask
    }

    [CachedPythonFact("torch", "onnx")]
    public void Segment_AnomalyResidualWithPixelHead_RunsThatHeadOnZeroFeatureResidualAtItsOwnThreshold()
    {
        using var package = Load();
        var request = Request(["liver tumor"], seed: 5);
        var full = FirstPrompt(package, PipelineVariant.Full, request);
        var rule = FirstPrompt(package, PipelineVariant.AnomalyResidual, request);

        // The tiny package's own refinement head serves as the pixel head: same signature, and it does read the feature
        // residual, so zeros there must change its answer.
        using var directory = new TempDirectory();
        TinyPackages.CopyTo(TinyPackages.Get(), directory.Path, m =>
        {
            m["graphs"]!["refinement_head_pixel_residual"] = m["graphs"]!["refinement_head"]!.DeepClone();
            m["segmentation"]!["pixel_head_probability_threshold"] = 0.3;
        });
        using var withHead = ModelPackage.Load(directory.Path, ExecutionDevice.Cpu, new ExecutionProviderFactory());
        Assert.True(withHead.HasGraph(GraphRole.PixelRefinementHead));
        var result = Pipeline(withHead, PipelineVariant.AnomalyResidual).Segment(request, null, CancellationToken.None);
        var headD = result.Prompts[0];

        var stages = result.Timings.Select(t => t.Stage).ToHashSet();
        Assert.Contains(PipelineStage.Refine, stages);
        Assert.DoesNotContain(PipelineStage.Residuals, stages);  // no re-encoding for a feature residual
        Assert.NotEqual(full.Probability.Data, headD.Probability.Data);
        Assert.NotEqual(rule.Probability.Data, headD.Probability.Data);
        Assert.Contains(headD.Mask.Data, v => v != 0);
        Assert.All(Enumerable.Range(0, headD.Mask.Data.Length), n => Assert.True(headD.Mask.Data[n] == 0 || headD.Probability.Data[n] > 0.3, $"voxel {n}"));
        Assert.Contains(Enumerable.Range(0, headD.Mask.Data.Length), n => headD.Probability.Data[n] is > 0.3f and <= 0.5f && headD.Mask.Data[n] != 0);
        // The full pipeline never uses the pixel head.
        Assert.Equal(full.Probability.Data, FirstPrompt(withHead, PipelineVariant.Full, request).Probability.Data);
    }

    private static ModelPackage Load() => BrightSphere.LoadTinyPackage();

    /// <summary>The first prompt's result of one run of <paramref name="variant"/>.</summary>
    private static PromptSegmentation FirstPrompt(ModelPackage package, PipelineVariant variant, SegmentationRequest request) =>
        Pipeline(package, variant).Segment(request, null, CancellationToken.None).Prompts[0];

    private static TumorSegmentationPipeline Pipeline(ModelPackage package, PipelineVariant variant) =>
        new(package, new PromptEmbedder(package), new SegmentationPipelineOptions { Variant = variant });

    private static SegmentationRequest Request(IReadOnlyList<string> prompts, long seed) => BrightSphere.Request(seed, [.. prompts]);
}
