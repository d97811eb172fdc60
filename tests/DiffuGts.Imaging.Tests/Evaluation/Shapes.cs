using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Tests.Evaluation;

/// <summary>Binary test shapes on axial grids: spheres and boxes given in voxel indices.</summary>
internal static class Shapes
{
    public static Volume<bool> Empty(int n, Vector3D spacing) => new(VolumeGeometry.Axial(n, n, n, spacing));

    public static Volume<bool> Sphere(int n, Vector3D spacing, double cx, double cy, double cz, double radiusVoxels)
    {
        var v = Empty(n, spacing);
        return Fill(v, (i, j, k) => Square(i - cx) + Square(j - cy) + Square(k - cz) <= radiusVoxels * radiusVoxels);
    }

    public static Volume<bool> Box(int n, Vector3D spacing, (int X, int Y, int Z) from, (int X, int Y, int Z) size)
    {
        var v = Empty(n, spacing);
        return Fill(v, (i, j, k) =>
            i >= from.X && i < from.X + size.X && j >= from.Y && j < from.Y + size.Y && k >= from.Z && k < from.Z + size.Z);
    }

    public static Volume<bool> Fill(Volume<bool> v, Func<int, int, int, bool> inside)
    {
        var g = v.Geometry;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    v[i, j, k] |= inside(i, j, k);
                }
            }
        }

        return v;
    }

    private static double Square(double x) => x * x;
}
