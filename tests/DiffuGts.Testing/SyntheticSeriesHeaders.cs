using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing;

/// <summary>
/// Headers (no pixel data) of an axial CT series, one per slice, in slice order: what a node has in hand after reading a
/// study, for tests of objects that reference the source slices (SEG, SC).
/// </summary>
public static class SyntheticSeriesHeaders
{
    /// <summary>
    /// <paramref name="spacing"/> is the column (x), row (y) and slice (z) spacing in mm; <paramref name="origin"/> the patient
    /// position of the first voxel of slice 0 (LPS, mm). Rows run along +x, columns along +y, slices along +z.
    /// </summary>
    public static IReadOnlyList<DicomDataset> Axial(int columns, int rows, int slices, (double X, double Y, double Z) spacing, (double X, double Y, double Z) origin)
    {
        var result = new List<DicomDataset>();
        for (var k = 0; k < slices; k++)
        {
            var ds = SyntheticDicom.CtImage(rows, columns);
            ds.Remove(DicomTags.PixelData);
            var z = origin.Z + k * spacing.Z;
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, SyntheticDicom.SeriesUid + "." + (k + 1).ToString(CultureInfo.InvariantCulture));
            ds.AddOrUpdate(DicomTags.InstanceNumber, k + 1);
            ds.AddOrUpdate(DicomTags.ImagePositionPatient, origin.X, origin.Y, z);
            ds.AddOrUpdate(DicomTags.SliceLocation, z);
            ds.AddOrUpdate(DicomTags.SliceThickness, spacing.Z);

            // PS3.3 C.7.6.2.1.1: Pixel Spacing is row spacing (between rows, along y) then column spacing.
            ds.AddOrUpdate(DicomTags.PixelSpacing, spacing.Y, spacing.X);
            result.Add(ds);
        }

        return result;
    }
}
