using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Tests.Overlays;

/// <summary>Small synthetic volumes and lesion masks for the overlay tests.</summary>
internal static class OverlayTestData
{
    public static readonly Vector3D Spacing = new(0.75, 0.8, 2.5);

    public static readonly Vector3D Origin = new(-48, -51.2, 10);

    public static VolumeGeometry Grid(int columns = 128, int rows = 128, int slices = 9) =>
        VolumeGeometry.Axial(columns, rows, slices, Spacing, Origin);

    /// <summary>A soft-tissue disc (40 HU) in air (−1000 HU) on every slice.</summary>
    public static Volume<float> Body(VolumeGeometry g)
    {
        var volume = new Volume<float>(g);
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    var (dx, dy) = (i - g.SizeX / 2.0, j - g.SizeY / 2.0);
                    volume[i, j, k] = dx * dx + dy * dy < 0.4 * g.SizeX * g.SizeY ? 40 + (i + j) % 7 : -1000;
                }
            }
        }

        return volume;
    }

    /// <summary>A ball of voxels (radius in voxels, in-plane and through-plane alike) added to <paramref name="mask"/>.</summary>
    public static Volume<byte> AddBall(Volume<byte> mask, int ci, int cj, int ck, double radius)
    {
        var g = mask.Geometry;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    var (dx, dy, dz) = (i - ci, j - cj, k - ck);
                    if (dx * dx + dy * dy + dz * dz <= radius * radius)
                    {
                        mask[i, j, k] = 1;
                    }
                }
            }
        }

        return mask;
    }

    public static OverlaySegment Segment(string label, Volume<byte> mask, int index = 0) => new(label, RgbColor.ForSegment(index), mask);
}
