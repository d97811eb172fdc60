using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Tests.Segmentation;

/// <summary>A small series with three segments: a box, a sphere and a single voxel, on slices that do not all overlap.</summary>
internal static class SegmentationFixture
{
    public static SeriesVolume Source(string geometry = "axial", int nx = 13, int ny = 11, int nz = 9) =>
        SeriesVolumeBuilder.Build(SyntheticSeries.Create(TestGeometries.Get(geometry, nx, ny, nz)));

    public static List<(SegmentDefinition Segment, Volume<byte> Mask)> Segments(VolumeGeometry g)
    {
        var box = new Volume<byte>(g);
        var sphere = new Volume<byte>(g);
        var dot = new Volume<byte>(g);
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    if (i is >= 1 and <= 4 && j is >= 2 and <= 5 && k is >= 1 and <= 3)
                    {
                        box[i, j, k] = 1;
                    }

                    if ((i - 8) * (i - 8) + (j - 6) * (j - 6) + (k - 5) * (k - 5) <= 6)
                    {
                        sphere[i, j, k] = 1;
                    }
                }
            }
        }

        dot[g.SizeX - 1, g.SizeY - 1, g.SizeZ - 1] = 1;
        return
        [
            (new SegmentDefinition("Liver tumor") { AnatomicRegion = CodedConcept.Liver, Color = 0xFF0000 }, box),
            (new SegmentDefinition("Kidney mass") { Type = CodedConcept.Mass, AnatomicRegion = CodedConcept.Kidney, Color = 0x00FF00 }, sphere),
            (new SegmentDefinition("Lesion") { Type = CodedConcept.Lesion, Color = 0x0000FF }, dot),
        ];
    }

    public static int NonEmptySlices(Volume<byte> mask)
    {
        var plane = mask.Geometry.SizeX * mask.Geometry.SizeY;
        return Enumerable.Range(0, mask.Geometry.SizeZ).Count(k => mask.Data.AsSpan(k * plane, plane).ContainsAnyExcept((byte)0));
    }
}
