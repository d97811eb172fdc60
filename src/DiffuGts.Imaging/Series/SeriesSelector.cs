using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Imaging.Series;

/// <summary>
/// Sorts the instances of a study into series and says which are CT/MR volumes worth segmenting: image storage classes
/// that <see cref="SeriesVolumeBuilder"/> reads (CT, MR and their enhanced and legacy-converted forms), modality CT or MR,
/// not only localizers (Image Type LOCALIZER, PS3.3 C.8.2.1.1.1), and at least <see cref="MinimumSlices"/> slices. The
/// checks read headers only; a series that passes can still fail <see cref="SeriesVolumeBuilder.Build"/> with a
/// geometry reason.
/// </summary>
public static class SeriesSelector
{
    /// <summary>Fewer slices than this are a scout or a key image, not a volume.</summary>
    public const int MinimumSlices = 3;

    /// <summary>Image SOP classes with a volume geometry (PS3.4 B.5): CT, Enhanced CT, Legacy Converted Enhanced CT, and the MR trio.</summary>
    private static readonly HashSet<string> VolumeClasses = new(StringComparer.Ordinal)
    {
        DicomUids.CTImageStorage, DicomUids.EnhancedCTImageStorage, "1.2.840.10008.5.1.4.1.1.2.2",
        DicomUids.MRImageStorage, DicomUids.EnhancedMRImageStorage, "1.2.840.10008.5.1.4.1.1.4.4",
    };

    /// <summary>Every series in <paramref name="files"/>, by Series Number then Series Instance UID.</summary>
    public static IReadOnlyList<SeriesCandidate> Classify(IEnumerable<DicomFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return [.. files
            .GroupBy(f => f.Dataset.GetSingleStringOrDefault(DicomTags.SeriesInstanceUID) ?? "", StringComparer.Ordinal)
            .Select(g => Classify(g.Key, [.. g]))
            .OrderBy(c => c.SeriesNumber ?? int.MaxValue)
            .ThenBy(c => c.SeriesInstanceUid, StringComparer.Ordinal)];
    }

    private static SeriesCandidate Classify(string seriesUid, IReadOnlyList<DicomFile> instances)
    {
        var first = instances[0].Dataset;
        var modality = first.GetSingleStringOrDefault(DicomTags.Modality)?.Trim() ?? "";
        var number = first.TryGetString(DicomTags.SeriesNumber, out var text) && int.TryParse(text.Trim(), out var n) ? n : (int?)null;
        var description = first.GetSingleStringOrDefault(DicomTags.SeriesDescription)?.Trim() ?? "";
        var study = first.GetSingleStringOrDefault(DicomTags.StudyInstanceUID) ?? "";
        return new SeriesCandidate(seriesUid, study, number, modality, description, instances, SkipReason(seriesUid, modality, instances));
    }

    private static string? SkipReason(string seriesUid, string modality, IReadOnlyList<DicomFile> instances)
    {
        if (seriesUid.Length == 0)
        {
            return "no Series Instance UID";
        }

        var classes = instances.Select(f => f.Dataset.GetSingleStringOrDefault(DicomTags.SOPClassUID) ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (!classes.Any(VolumeClasses.Contains))
        {
            return $"SOP class {string.Join(", ", classes)} is not a CT or MR image";
        }

        if (modality is not ("CT" or "MR"))
        {
            return $"modality {(modality.Length == 0 ? "(none)" : modality)} is not CT or MR";
        }

        var images = instances.Where(f => !SeriesVolumeBuilder.IsLocalizer(f)).ToList();
        if (images.Count == 0)
        {
            return "localizer (Image Type LOCALIZER)";
        }

        var slices = images.Sum(f => Math.Max(1, f.Dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1)));
        return slices < MinimumSlices ? $"{slices} slice(s): too few for a volume (a scout or a key image?)" : null;
    }
}
