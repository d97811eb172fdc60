using DiffuGts.Dicom;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Who made a derived object and how it is labelled (Enhanced General Equipment, PS3.3 C.7.5.2: manufacturer, model, serial
/// number and software versions are all Type 1). With <see cref="DeterministicUids"/> the series, instance and dimension
/// organisation UIDs are derived from the source series and the algorithm (core's <see cref="DicomUidGenerator.Derive"/>),
/// so re-running the same model on the same series yields the same UIDs and a PACS replaces rather than duplicates.
/// </summary>
public sealed record SegmentationWriterOptions
{
    public string Manufacturer { get; init; } = "DiffuGts";

    public string ManufacturerModelName { get; init; } = "DiffuGts AI node";

    public string DeviceSerialNumber { get; init; } = "0";

    public string SoftwareVersion { get; init; } = typeof(SegmentationWriterOptions).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>Segment Algorithm Name and Algorithm Name (the model).</summary>
    public string AlgorithmName { get; init; } = "DiffuGTS";

    public string AlgorithmVersion { get; init; } = "1";

    public int SeriesNumber { get; init; } = 9001;

    public string SeriesDescription { get; init; } = "AI tumour segmentation - verify before clinical use";

    /// <summary>Content Label (CS, ≤ 16 upper-case characters).</summary>
    public string ContentLabel { get; init; } = "TUMOR_SEG";

    public NoFindingsBehavior NoFindings { get; init; } = NoFindingsBehavior.SendNothing;

    public bool DeterministicUids { get; init; }

    public DicomUidGenerator UidGenerator { get; init; } = DicomUidGenerator.Default;

    /// <summary>Content and instance creation time; null = now.</summary>
    public DateTimeOffset? ContentDateTime { get; init; }
}
