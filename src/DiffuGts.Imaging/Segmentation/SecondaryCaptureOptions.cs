using DiffuGts.Imaging.Operations;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Settings for RGB overlay images (Secondary Capture, PS3.3 A.8.1). Equipment, algorithm name/version, UID policy and
/// the no-findings behaviour come from <see cref="Common"/>, shared with the SEG so both name the same software.
/// </summary>
public sealed record SecondaryCaptureOptions
{
    public SegmentationWriterOptions Common { get; init; } = new();

    public OverlaySliceSelection Slices { get; init; } = OverlaySliceSelection.AllWithFindings;

    /// <summary>Display window; null picks CT soft tissue (40/400) for CT and the 1st–99th percentile otherwise.</summary>
    public DisplayWindow? Window { get; init; }

    /// <summary>Opacity of the segment fill inside the outline (0 = outline only).</summary>
    public double FillOpacity { get; init; } = 0.25;

    public int SeriesNumber { get; init; } = 9002;

    public string SeriesDescription { get; init; } = "AI tumour overlay - verify before clinical use";

    /// <summary>General Series Modality; "OT" (other) is the generic term, the source modality goes into SC Equipment.</summary>
    public string Modality { get; init; } = "OT";
}
