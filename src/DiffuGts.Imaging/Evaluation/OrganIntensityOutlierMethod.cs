using System.Globalization;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Baseline (a), after the intensity-threshold anchor of Meissen et al. 2021 (evaluation.md §3, §4.1 tier A: a threshold
/// inside an organ mask): only the target organ's labels count (the organ the prompt names, <see
/// cref="EvaluationCase.TargetOrganLabelValues"/>; every organ label when the case lists none). Each such label L is first
/// smoothed within itself (normalised convolution: G∗(I·[L]) / G∗[L], Gaussian σ in mm, so no organ
/// borrows its neighbours' HU and organ borders do not light up); then robust z = (HU − median_L) / (1.4826·MAD_L) over
/// the voxels of L (1.4826·MAD estimates σ for Gaussian data); score = |z| inside organs and 0 outside; mask = |z| &gt;
/// threshold, minus components below the minimum lesion volume. The smoothing plays the part of the median filter in
/// Meissen's pipeline: without it every noise voxel beyond the threshold is a false lesion. The organ mask comes from the
/// dataset's labels — an oracle a real zero-shot method does not get (in practice a segmenter such as TotalSegmentator
/// gives it), which the report states. When MAD is 0 the organ's standard deviation is used, and 1 HU when that is 0 too.
/// </summary>
public sealed class OrganIntensityOutlierMethod : ISegmentationMethod
{
    public const string MethodName = "organ-intensity-outlier";

    private readonly OrganIntensityOutlierOptions _options;

    public OrganIntensityOutlierMethod(OrganIntensityOutlierOptions? options = null)
    {
        _options = options ?? new OrganIntensityOutlierOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ZThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MinLesionVolumeMm3);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.SmoothingSigmaMm);
    }

    public string Name => MethodName;

    public string Version => string.Create(CultureInfo.InvariantCulture,
        $"2 (z>{_options.ZThreshold:0.###}, smoothing {_options.SmoothingSigmaMm:0.###} mm within the organ, min {_options.MinLesionVolumeMm3:0.###} mm3, oracle target-organ mask)");

    public string? ModelPackageVersion => null;

    public Task<SegmentationOutput> SegmentAsync(EvaluationCaseInput input, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.OrganLabels is null)
        {
            throw new InvalidOperationException($"case {input.Case.Id} has no organ labels; the {MethodName} baseline needs them");
        }

        var targets = input.Case.TargetOrganLabelValues.ToHashSet();
        var organs = targets.Count == 0 ? input.OrganLabels : input.OrganLabels.Map(v => targets.Contains(v) ? v : 0);
        return Task.FromResult(Segment(SmoothWithinOrgans(input.Image, organs, _options.SmoothingSigmaMm), organs, cancellationToken));
    }

    private SegmentationOutput Segment(Volume<float> image, Volume<int> organs, CancellationToken cancellationToken)
    {
        var g = image.Geometry;
        var score = new Volume<float>(g);
        var byLabel = new Dictionary<int, List<float>>();
        for (var n = 0; n < organs.Data.Length; n++)
        {
            var label = organs.Data[n];
            if (label == 0)
            {
                continue;
            }

            if (!byLabel.TryGetValue(label, out var values))
            {
                byLabel[label] = values = [];
            }

            values.Add(image.Data[n]);
        }

        var centre = new Dictionary<int, (double Median, double Scale)>();
        foreach (var (label, values) in byLabel)
        {
            cancellationToken.ThrowIfCancellationRequested();
            centre[label] = RobustCentre(values);
        }

        var mask = new Volume<bool>(g);
        for (var n = 0; n < organs.Data.Length; n++)
        {
            var label = organs.Data[n];
            if (label == 0)
            {
                continue;
            }

            var (median, scale) = centre[label];
            var z = Math.Abs(image.Data[n] - median) / scale;
            score.Data[n] = (float)z;
            mask.Data[n] = z > _options.ZThreshold;
        }

        RemoveSmallComponents(mask, _options.MinLesionVolumeMm3);
        return new SegmentationOutput(score, mask);
    }

    /// <summary>Per organ label, G∗(I·[L]) / G∗[L] on the voxels of L; background voxels keep their value.</summary>
    internal static Volume<float> SmoothWithinOrgans(Volume<float> image, Volume<int> organs, double sigmaMm)
    {
        if (sigmaMm <= 0)
        {
            return image;
        }

        var g = image.Geometry;
        var result = new Volume<float>(g, (float[])image.Data.Clone());
        foreach (var label in organs.Data.Where(l => l != 0).Distinct())
        {
            var weighted = new Volume<float>(g);
            var indicator = new Volume<float>(g);
            for (var n = 0; n < organs.Data.Length; n++)
            {
                if (organs.Data[n] == label)
                {
                    weighted.Data[n] = image.Data[n];
                    indicator.Data[n] = 1f;
                }
            }

            var num = GaussianSmoothing.Smooth(weighted, sigmaMm).Data;
            var den = GaussianSmoothing.Smooth(indicator, sigmaMm).Data;
            for (var n = 0; n < organs.Data.Length; n++)
            {
                if (organs.Data[n] == label && den[n] > 1e-6f)
                {
                    result.Data[n] = num[n] / den[n];
                }
            }
        }

        return result;
    }

    private static (double Median, double Scale) RobustCentre(List<float> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var median = Median(sorted);
        var deviations = new float[sorted.Length];
        for (var n = 0; n < sorted.Length; n++)
        {
            deviations[n] = (float)Math.Abs(sorted[n] - median);
        }

        Array.Sort(deviations);
        var scale = 1.4826 * Median(deviations);
        if (scale <= 0)
        {
            var mean = sorted.Average(v => (double)v);
            scale = Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length);
        }

        return (median, scale > 0 ? scale : 1.0);
    }

    private static double Median(float[] sorted)
    {
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + (double)sorted[m]) / 2;
    }

    private static void RemoveSmallComponents(Volume<bool> mask, double minVolumeMm3)
    {
        var g = mask.Geometry;
        var voxelMm3 = g.Spacing.X * g.Spacing.Y * g.Spacing.Z;
        var components = ConnectedComponents.Label(mask);
        var labels = components.Labels.Data;
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] != 0 && components.SizeOf(labels[n]) * voxelMm3 < minVolumeMm3)
            {
                mask.Data[n] = false;
            }
        }
    }
}
