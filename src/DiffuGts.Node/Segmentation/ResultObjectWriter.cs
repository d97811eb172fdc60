using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Node.Storage;

namespace DiffuGts.Node.Segmentation;

/// <summary>
/// The result objects of one segmented series, written the same way by the node and by <c>diffugts segment</c> (issue 6):
/// the DICOM SEG with one segment per prompt (issue 4 §3), the Secondary Capture overlay series for viewers without SEG
/// support (issue 4 §4) and, on request, the same overlay images as PNG previews. UIDs derive from
/// <see cref="ResultWriterOptions.DerivationKey"/>, so the same input gives the same objects.
/// </summary>
public static class ResultObjectWriter
{
    /// <summary>
    /// Writes <c>seg.dcm</c>, <c>overlays/sc-KKKK.dcm</c> (key slices through each prompt's largest lesion; none when nothing
    /// was found or the source is multi-frame) and, with <see cref="ResultWriterOptions.Previews"/>, <c>previews/slice-KKKK.png</c>.
    /// </summary>
    /// <remarks>
    /// <paramref name="source"/> is the series as a volume, and the masks of <paramref name="segments"/> lie on its grid;
    /// <paramref name="instances"/> are the files it was built from (their headers go into each SC).
    /// </remarks>
    public static async Task<ResultFiles> WriteAsync(SeriesVolume source, IReadOnlyList<DicomFile> instances,
        IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments, ResultWriterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        string? segPath = null;
        var seg = SegmentationWriter.CreateFile(source, segments, new SegmentationWriterOptions
        {
            AlgorithmName = options.Model.Name,
            AlgorithmVersion = options.Model.Version,
            DeterministicUids = true,
            DerivationKey = options.DerivationKey,
            NoFindings = options.NoFindings,
        });
        if (seg is not null)
        {
            Directory.CreateDirectory(options.OutputDirectory);
            segPath = Path.Combine(options.OutputDirectory, "seg.dcm");
            await DurableFile.WriteAllBytesAsync(segPath, seg.ToArray(), options.FlushToDisk, cancellationToken);
        }

        var drawn = OverlaySegments(segments);
        var overlays = new List<string>();
        var images = new List<(int Slice, RgbImage Image)>();
        foreach (var overlay in CreateOverlays(source, instances, drawn, options))
        {
            var folder = Path.Combine(options.OutputDirectory, "overlays");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"sc-{overlay.SliceIndex:D4}.dcm"));
            await DurableFile.WriteAllBytesAsync(path, new DicomFile(overlay.Dataset).ToArray(), options.FlushToDisk, cancellationToken);
            overlays.Add(path);
            images.Add((overlay.SliceIndex, overlay.Image));
        }

        var previews = !options.Previews ? []
            : images.Count > 0 ? await WritePngsAsync(images, options.OutputDirectory, cancellationToken)
            : await WritePreviewsAsync(source.Volume, source.Reference.GetSingleStringOrDefault(DicomTags.Modality), segments, options, cancellationToken);
        return new ResultFiles(segPath, overlays, previews);
    }

    /// <summary>
    /// PNG previews without DICOM objects (a NIfTI input, a multi-frame source): the slices the SC series would show, drawn
    /// the same way, or the middle slice when nothing was found so that a quick look still shows the volume and the legend.
    /// </summary>
    public static Task<IReadOnlyList<string>> WritePreviewsAsync(Volume<float> image, string? modality,
        IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments, ResultWriterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        var drawn = OverlaySegments(segments);
        var slices = OverlaySliceSelector.Select(drawn);
        var render = OverlayRenderOptions.Default with { Window = OverlayRenderer.DefaultWindow(modality, image) };
        var model = new OverlayModelInfo(options.Model.Name, options.Model.Version);
        var images = (slices.Count > 0 ? slices : [image.Geometry.SizeZ / 2])
            .Select(k => (k, OverlayRenderer.Render(image, k, drawn, model, render)))
            .ToList();
        return WritePngsAsync(images, options.OutputDirectory, cancellationToken);
    }

    private static IReadOnlyList<SecondaryCaptureOverlay> CreateOverlays(SeriesVolume source, IReadOnlyList<DicomFile> instances,
        IReadOnlyList<OverlaySegment> segments, ResultWriterOptions options)
    {
        if (source.Slices.Any(s => s.FrameNumber is not null) || segments.All(s => !s.Mask.Data.AsSpan().ContainsAnyExcept((byte)0)))
        {
            // Multi-frame sources have no per-slice instance to derive an SC from; the SEG carries the result for them.
            return [];
        }

        var byInstance = new Dictionary<string, DicomDataset>(StringComparer.Ordinal);
        foreach (var file in instances)
        {
            byInstance.TryAdd(file.Dataset.GetString(DicomTags.SOPInstanceUID).Trim(), file.Dataset);
        }

        var headers = source.Slices.Select(s => byInstance[s.SopInstanceUid]).ToList();
        var writer = new SecondaryCaptureWriter(new SecondaryCaptureOptions { DerivationKey = options.DerivationKey });
        return writer.Create(headers, source.Volume, segments, new OverlayModelInfo(options.Model.Name, options.Model.Version));
    }

    private static List<OverlaySegment> OverlaySegments(IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments) =>
        [.. segments.Select(s => new OverlaySegment(s.Segment.Label,
            new RgbColor((byte)(s.Segment.Color >> 16), (byte)(s.Segment.Color >> 8), (byte)s.Segment.Color), s.Mask))];

    private static async Task<IReadOnlyList<string>> WritePngsAsync(IReadOnlyList<(int Slice, RgbImage Image)> images, string outputDirectory,
        CancellationToken cancellationToken)
    {
        var folder = Path.Combine(outputDirectory, "previews");
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (slice, image) in images)
        {
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"slice-{slice:D4}.png"));
            await File.WriteAllBytesAsync(path, PngWriter.Encode(image), cancellationToken);
            written.Add(path);
        }

        return written;
    }
}
