using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// The label and HU buffers being painted. Structures are painted in anatomical priority order (a later structure wins
/// where two overlap), each over its bounding box only. A shader decides per voxel centre whether to paint; slices are
/// shaded in parallel, which is safe because a shader depends only on the voxel's position and its current contents.
/// </summary>
internal sealed class PhantomCanvas
{
    public delegate void Shader(double x, double y, double z, int index, ref byte label, ref float hu);

    public PhantomCanvas(VolumeGeometry geometry)
    {
        Geometry = geometry;
        Labels = new byte[geometry.VoxelCount];
        Hu = new float[geometry.VoxelCount];
    }

    public VolumeGeometry Geometry { get; }

    public byte[] Labels { get; }

    public float[] Hu { get; }

    public double X(int i) => Geometry.Origin.X + i * Geometry.Spacing.X;

    public double Y(int j) => Geometry.Origin.Y + j * Geometry.Spacing.Y;

    public double Z(int k) => Geometry.Origin.Z + k * Geometry.Spacing.Z;

    public void Paint(Bounds box, Shader shader)
    {
        var (i0, i1) = Range(box.Min.X, box.Max.X, Geometry.Origin.X, Geometry.Spacing.X, Geometry.SizeX);
        var (j0, j1) = Range(box.Min.Y, box.Max.Y, Geometry.Origin.Y, Geometry.Spacing.Y, Geometry.SizeY);
        var (k0, k1) = Range(box.Min.Z, box.Max.Z, Geometry.Origin.Z, Geometry.Spacing.Z, Geometry.SizeZ);
        if (i0 > i1 || j0 > j1 || k0 > k1)
        {
            return;
        }

        var nx = Geometry.SizeX;
        var plane = nx * Geometry.SizeY;
        Parallel.For(k0, k1 + 1, k =>
        {
            var z = Z(k);
            for (var j = j0; j <= j1; j++)
            {
                var y = Y(j);
                var row = k * plane + j * nx;
                for (var i = i0; i <= i1; i++)
                {
                    shader(X(i), y, z, row + i, ref Labels[row + i], ref Hu[row + i]);
                }
            }
        });
    }

    /// <summary>The label at a patient position (nearest voxel), or <see cref="PhantomLabel.Background"/> outside the grid.</summary>
    public PhantomLabel LabelAt(Vector3D p)
    {
        var i = (int)Math.Round((p.X - Geometry.Origin.X) / Geometry.Spacing.X);
        var j = (int)Math.Round((p.Y - Geometry.Origin.Y) / Geometry.Spacing.Y);
        var k = (int)Math.Round((p.Z - Geometry.Origin.Z) / Geometry.Spacing.Z);
        return i < 0 || j < 0 || k < 0 || i >= Geometry.SizeX || j >= Geometry.SizeY || k >= Geometry.SizeZ
            ? PhantomLabel.Background
            : (PhantomLabel)Labels[i + Geometry.SizeX * (j + Geometry.SizeY * k)];
    }

    private static (int First, int Last) Range(double min, double max, double origin, double spacing, int size)
    {
        var first = (int)Math.Max(0, Math.Ceiling((min - origin) / spacing));
        var last = (int)Math.Min(size - 1, Math.Floor((max - origin) / spacing));
        return (first, last);
    }
}
