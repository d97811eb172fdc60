using System.Globalization;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Baseline (a), after the intensity-threshold anchor of Meissen et al. 2021 (evaluation.md §3, §4.1 tier A): for each
/// organ label L, robust z = (HU − median_L) / (1.4826·MAD_L) over the voxels of L (1.4826·MAD estimates σ for Gaussian
/// data); score = |z| inside organs and 0 outside; mask = |z| &gt; threshold, minus components below the minimum lesion
/// volume. The organ masks come from the dataset's labels — an oracle a real zero-shot method does not get, which the
/// report states. When MAD is 0 the organ's standard deviation is used, and 1 HU when that is 0 too.
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
    }

    public string Name => MethodName;

    public string Version => string.Create(CultureInfo.InvariantCulture,
        $"1 (z>{_options.ZThreshold:0.###}, min {_options.MinLesionVolumeMm3:0.###} mm3, oracle organ labels)");

    public string? ModelPackageVersion => null;

    public Task<SegmentationOutput> SegmentAsync(EvaluationCaseInput input, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.OrganLabels is null)
        {
            throw new InvalidOperationException($"case {input.Case.Id} has no organ labels; the {MethodName} baseline needs them");
        }

        return Task.FromResult(Segment(input.Image, input.OrganLabels, cancellationToken));
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
