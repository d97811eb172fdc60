using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Checks that the source headers describe the volume slice for slice. An overlay drawn on the wrong source slice would
/// point a reader at the wrong anatomy, so any mismatch is an error rather than a warning.
/// </summary>
internal static class SourceSeries
{
    public static void Check(IReadOnlyList<DicomDataset> slices, VolumeGeometry g)
    {
        if (slices.Count != g.SizeZ)
        {
            throw new ArgumentException($"{slices.Count} source headers for a volume of {g.SizeZ} slices", nameof(slices));
        }

        var study = Required(slices[0], DicomTags.StudyInstanceUID, 0);
        var series = Required(slices[0], DicomTags.SeriesInstanceUID, 0);
        for (var k = 0; k < slices.Count; k++)
        {
            var ds = slices[k] ?? throw new ArgumentException($"source header {k} is null", nameof(slices));
            Required(ds, DicomTags.SOPClassUID, k);
            Required(ds, DicomTags.SOPInstanceUID, k);
            if (Required(ds, DicomTags.StudyInstanceUID, k) != study || Required(ds, DicomTags.SeriesInstanceUID, k) != series)
            {
                throw new ArgumentException($"source header {k} belongs to another study or series", nameof(slices));
            }

            if (ds.TryGetValue<int>(DicomTags.Rows, out var rows) && ds.TryGetValue<int>(DicomTags.Columns, out var columns) &&
                (rows != g.SizeY || columns != g.SizeX))
            {
                throw new ArgumentException($"source header {k} is {columns}×{rows}, the volume {g.SizeX}×{g.SizeY}", nameof(slices));
            }

            // PS3.3 C.7.6.2.1.1: Image Position (Patient) is the centre of the first voxel; it must be slice k's origin.
            if (ds.TryGetElement(DicomTags.ImagePositionPatient, out _) && ds.GetValueCount(DicomTags.ImagePositionPatient) == 3)
            {
                var p = ds.GetValues<double>(DicomTags.ImagePositionPatient);
                var expected = g.IndexToPatient(0, 0, k);
                var distance = (new Vector3D(p[0], p[1], p[2]) - expected).Length;
                if (distance > Math.Max(0.01, 0.25 * g.Spacing.Z))
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"source header {k} is at {p[0]:F2}\\{p[1]:F2}\\{p[2]:F2}, {distance:F2} mm from volume slice {k}"),
                        nameof(slices));
                }
            }
        }
    }

    private static string Required(DicomDataset ds, DicomTag tag, int k) =>
        ds.GetSingleStringOrDefault(tag) is { Length: > 0 } value
            ? value
            : throw new ArgumentException($"source header {k} has no {DicomDictionary.GetKeyword(tag)} {tag}", nameof(ds));
}
