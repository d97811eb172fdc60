using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Makes one RGB Secondary Capture Image Storage instance (1.2.840.10008.5.1.4.1.1.7, PS3.3 A.8.1) per selected slice: a
/// new series in the source study for readers without a SEG-capable viewer. The single-frame SC class is used rather than
/// Multi-frame True Color SC because PACS and viewers support it best and each image pages like the CT it mirrors
/// (dicom-facts §5.1). UIDs are derived from the source and the model (same inputs, same UIDs), so a rerun replaces
/// rather than duplicates the series.
/// </summary>
public sealed partial class SecondaryCaptureWriter
{
    /// <summary>Version of the UID derivation inputs below; bump it if they change.</summary>
    private const int UidAlgorithmVersion = 1;

    private readonly SecondaryCaptureOptions options;

    private readonly TimeProvider timeProvider;

    public SecondaryCaptureWriter(SecondaryCaptureOptions? options = null, TimeProvider? timeProvider = null)
    {
        this.options = options ?? SecondaryCaptureOptions.Default;
        this.options.Validate();
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Renders and encodes the overlay series. <paramref name="sourceSlices"/> are the source headers in volume order
    /// (header k is slice k of <paramref name="volume"/>); <paramref name="volume"/> holds modality values (HU for CT);
    /// the masks lie on the volume's grid.
    /// </summary>
    /// <exception cref="ArgumentException">The headers do not describe the volume (count, size, study, series, position).</exception>
    public IReadOnlyList<SecondaryCaptureOverlay> Create(
        IReadOnlyList<DicomDataset> sourceSlices, Volume<float> volume, IReadOnlyList<OverlaySegment> segments, OverlayModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(sourceSlices);
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(model);
        SourceSeries.Check(sourceSlices, volume.Geometry);
        var first = sourceSlices[0];
        var modality = options.Modality ?? first.GetSingleStringOrDefault(DicomTags.Modality) ?? "OT";
        var render = options.Render.Window is null
            ? options.Render with { Window = OverlayRenderer.DefaultWindow(first.GetSingleStringOrDefault(DicomTags.Modality), volume) }
            : options.Render;
        var labels = segments.Select(s => s.Label).Distinct().ToArray();
        var seriesUid = options.Uids.Derive(
            UidAlgorithmVersion,
            "overlay-series",
            first.GetString(DicomTags.StudyInstanceUID),
            first.GetString(DicomTags.SeriesInstanceUID),
            model.Name,
            model.Version,
            string.Join('\n', labels),
            options.DerivationKey);
        var direction = volume.Geometry.Direction;
        var series = new SeriesContext(
            seriesUid, modality, labels, model, render, timeProvider.GetLocalNow(), direction.Column(0), direction.Column(1));
        var result = new List<SecondaryCaptureOverlay>();
        foreach (var k in OverlaySliceSelector.Select(segments, options.Slices))
        {
            var image = OverlayRenderer.Render(volume, k, segments, model, render);
            result.Add(new SecondaryCaptureOverlay(k, Encode(sourceSlices[k], k, image, series), image));
        }

        return result;
    }

    private sealed record SeriesContext(
        string SeriesUid,
        string Modality,
        string[] Labels,
        OverlayModelInfo Model,
        OverlayRenderOptions Render,
        DateTimeOffset Now,
        Vector3D RowDirection,
        Vector3D ColumnDirection);
}
