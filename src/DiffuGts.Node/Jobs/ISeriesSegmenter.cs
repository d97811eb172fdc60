using DiffuGts.Node.Options;

namespace DiffuGts.Node.Jobs;

/// <summary>
/// Turns a series' instance files into result files (DICOM SEG + SC overlays) for a prompt set: series → volume →
/// DiffuGTS pipeline → SEG/SC writers. Failures throw <see cref="SegmentationException"/> naming the stage.
/// </summary>
public interface ISeriesSegmenter
{
    Task<SeriesSegmentationResult> SegmentAsync(SeriesSegmentationRequest request, CancellationToken cancellationToken);
}

/// <summary>What one job asks of the segmenter.</summary>
public sealed record SeriesSegmentationRequest(
    JobRecord Job,
    IReadOnlyList<string> InstanceFiles,
    IReadOnlyList<PromptOptions> Prompts,
    string ModelDirectory,
    string OutputDirectory);

/// <summary>The files written (empty when nothing was found and no "nothing found" result is configured) and stage timings.</summary>
public sealed record SeriesSegmentationResult(IReadOnlyList<string> Files, int LesionCount, IReadOnlyDictionary<string, double> StageSeconds);

/// <summary>A segmentation that cannot succeed for this series (broken geometry, unsupported data, model failure).</summary>
public sealed class SegmentationException : Exception
{
    public SegmentationException()
    {
        Stage = "unknown";
    }

    public SegmentationException(string message)
        : base(message)
    {
        Stage = "unknown";
    }

    public SegmentationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Stage = "unknown";
    }

    public SegmentationException(string stage, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Stage = stage;
    }

    /// <summary>Where it failed: "geometry", "inference", "encode", …</summary>
    public string Stage { get; }
}
