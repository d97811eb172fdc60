using DiffuGts.Dicom;

namespace DiffuGts.Imaging.Overlays;

/// <summary>Settings of the Secondary Capture overlay series.</summary>
public sealed record SecondaryCaptureOptions
{
    public static SecondaryCaptureOptions Default { get; } = new();

    /// <summary>Series Number (0020,0011) of the overlay series.</summary>
    public int SeriesNumber { get; init; } = 9901;

    /// <summary>Series Description (0008,103E) is this prefix, ": ", then the segment labels (cut to the 64 characters of LO).</summary>
    public string SeriesDescriptionPrefix { get; init; } = "DiffuGts overlay";

    /// <summary>
    /// Modality (0008,0060); null copies the source's. PS3.3 C.8.6.1 lets the SC Equipment module's Modality name the
    /// original modality and override General Series, and a CT/MR value keeps the series with the study in hanging
    /// protocols; set "OT" where a PACS wants secondary captures kept apart.
    /// </summary>
    public string? Modality { get; init; }

    /// <summary>Software Versions (0018,1020) of the node that made the images.</summary>
    public string SoftwareVersion { get; init; } = typeof(SecondaryCaptureOptions).Assembly.GetName().Version?.ToString() ?? "0";

    public OverlayRenderOptions Render { get; init; } = OverlayRenderOptions.Default;

    public OverlaySliceSelection Slices { get; init; } = OverlaySliceSelection.Default;

    /// <summary>
    /// What else makes this result distinct (the node passes a hash of the source instances, rule and prompts), so a
    /// series that grew, or another prompt set, gets new UIDs while a plain re-run keeps them.
    /// </summary>
    public string DerivationKey { get; init; } = "";

    /// <summary>Derives the series and instance UIDs (an organisation root if configured, else 2.25).</summary>
    public DicomUidGenerator Uids { get; init; } = DicomUidGenerator.Default;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SeriesNumber);
        ArgumentException.ThrowIfNullOrWhiteSpace(SeriesDescriptionPrefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(SoftwareVersion);
        ArgumentNullException.ThrowIfNull(Render);
        ArgumentNullException.ThrowIfNull(Slices);
        ArgumentNullException.ThrowIfNull(Uids);
        Render.Validate();
        Slices.Validate();
    }
}
