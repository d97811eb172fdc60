using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;

namespace DiffuGts.Imaging.Tests;

/// <summary>
/// CT series built from a grid: slice k of the grid becomes instance k + 1, and each pixel stores
/// <see cref="Hu"/>(its patient position) + 1024 with Rescale Intercept −1024, so a reader's HU value can be checked
/// against the position it claims for the voxel.
/// </summary>
internal static class SyntheticSeries
{
    public const string SeriesUid = "1.2.826.0.1.3680043.10.1234.7";

    public static short Hu(Vector3D p) => (short)Math.Round(p.X + 2 * p.Y + 3 * p.Z);

    public static List<DicomFile> Create(VolumeGeometry g, string seriesUid = SeriesUid)
    {
        var files = new List<DicomFile>();
        for (var k = 0; k < g.SizeZ; k++)
        {
            var ds = SyntheticDicom.CtImage(g.SizeY, g.SizeX);
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, $"{seriesUid}.{k + 1}");
            ds.AddOrUpdate(DicomTags.InstanceNumber, k + 1);
            var p = g.IndexToPatient(0, 0, k);
            ds.AddOrUpdate(DicomTags.ImagePositionPatient, p.X, p.Y, p.Z);
            var d = g.Direction;
            ds.AddOrUpdate(DicomTags.ImageOrientationPatient, d.C0.X, d.C0.Y, d.C0.Z, d.C1.X, d.C1.Y, d.C1.Z);
            ds.AddOrUpdate(DicomTags.PixelSpacing, g.Spacing.Y, g.Spacing.X);
            ds.AddOrUpdate(DicomTags.SliceThickness, g.Spacing.Z);
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, SlicePixels(g, k));
            files.Add(new DicomFile(ds));
        }

        return files;
    }

    /// <summary>The same grid as one Enhanced CT instance (PS3.3 A.38): per-frame Plane Position, shared orientation and measures.</summary>
    public static DicomFile CreateEnhanced(VolumeGeometry g)
    {
        var ds = SyntheticDicom.CtImage(g.SizeY, g.SizeX);
        foreach (var tag in new[] { DicomTags.ImagePositionPatient, DicomTags.ImageOrientationPatient, DicomTags.PixelSpacing,
            DicomTags.RescaleIntercept, DicomTags.RescaleSlope, DicomTags.RescaleType, DicomTags.SliceLocation })
        {
            ds.Remove(tag);
        }

        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.EnhancedCTImageStorage);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, SeriesUid + ".100");
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, g.SizeZ.ToString(CultureInfo.InvariantCulture));
        var d = g.Direction;
        var shared = new DicomDataset()
            .AddOrUpdate(DicomTags.PlaneOrientationSequence,
                new DicomDataset().AddOrUpdate(DicomTags.ImageOrientationPatient, d.C0.X, d.C0.Y, d.C0.Z, d.C1.X, d.C1.Y, d.C1.Z))
            .AddOrUpdate(DicomTags.PixelMeasuresSequence, new DicomDataset().AddOrUpdate(DicomTags.PixelSpacing, g.Spacing.Y, g.Spacing.X))
            .AddOrUpdate(DicomTags.PixelValueTransformationSequence, new DicomDataset()
                .AddOrUpdate(DicomTags.RescaleIntercept, -1024.0).AddOrUpdate(DicomTags.RescaleSlope, 1.0).AddOrUpdate(DicomTags.RescaleType, "HU"));
        ds.AddOrUpdate(DicomTags.SharedFunctionalGroupsSequence, shared);
        // Frames stored in reverse slice order: the builder must sort by position, not trust frame order.
        var order = Enumerable.Range(0, g.SizeZ).Reverse().ToArray();
        ds.AddOrUpdate(DicomTags.PerFrameFunctionalGroupsSequence, [.. order.Select(k =>
        {
            var p = g.IndexToPatient(0, 0, k);
            return new DicomDataset().AddOrUpdate(DicomTags.PlanePositionSequence,
                new DicomDataset().AddOrUpdate(DicomTags.ImagePositionPatient, p.X, p.Y, p.Z));
        })]);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, order.SelectMany(k => SlicePixels(g, k)).ToArray());
        return new DicomFile(ds);
    }

    private static short[] SlicePixels(VolumeGeometry g, int k)
    {
        var pixels = new short[g.SizeX * g.SizeY];
        for (var j = 0; j < g.SizeY; j++)
        {
            for (var i = 0; i < g.SizeX; i++)
            {
                pixels[i + j * g.SizeX] = (short)(Hu(g.IndexToPatient(i, j, k)) + 1024);
            }
        }

        return pixels;
    }
}
