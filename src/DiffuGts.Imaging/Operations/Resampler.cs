using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// Resamples a volume onto another grid of the same patient frame (any size, spacing, origin and direction): trilinear
/// for intensities, nearest neighbour for labels. A target voxel whose centre maps within half a voxel outside the source
/// takes the nearest edge value (the source's voxels cover that half-voxel border); farther out it takes the outside value.
/// </summary>
public static class Resampler
{
    public static Volume<float> Linear(Volume<float> source, VolumeGeometry target, float outsideValue = 0f)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Volume<float>(target);
        var map = IndexMap.Between(target, source.Geometry);
        var src = source.Data;
        var (nx, ny, nz) = (source.Geometry.SizeX, source.Geometry.SizeY, source.Geometry.SizeZ);
        var plane = nx * ny;
        Parallel.For(0, target.SizeZ, k =>
        {
            var dst = result.Slice(k);
            for (var j = 0; j < target.SizeY; j++)
            {
                var row = dst.Slice(j * target.SizeX, target.SizeX);
                var p = map.RowStart(j, k);
                for (var i = 0; i < row.Length; i++, p += map.StepI)
                {
                    if (!Clamp(p.X, nx, out var x) || !Clamp(p.Y, ny, out var y) || !Clamp(p.Z, nz, out var z))
                    {
                        row[i] = outsideValue;
                        continue;
                    }

                    int x0 = (int)x, y0 = (int)y, z0 = (int)z;
                    int x1 = Math.Min(x0 + 1, nx - 1), y1 = Math.Min(y0 + 1, ny - 1), z1 = Math.Min(z0 + 1, nz - 1);
                    float fx = (float)(x - x0), fy = (float)(y - y0), fz = (float)(z - z0);
                    int r00 = y0 * nx + z0 * plane, r10 = y1 * nx + z0 * plane, r01 = y0 * nx + z1 * plane, r11 = y1 * nx + z1 * plane;
                    var c00 = src[r00 + x0] + (src[r00 + x1] - src[r00 + x0]) * fx;
                    var c10 = src[r10 + x0] + (src[r10 + x1] - src[r10 + x0]) * fx;
                    var c01 = src[r01 + x0] + (src[r01 + x1] - src[r01 + x0]) * fx;
                    var c11 = src[r11 + x0] + (src[r11 + x1] - src[r11 + x0]) * fx;
                    var c0 = c00 + (c10 - c00) * fy;
                    var c1 = c01 + (c11 - c01) * fy;
                    row[i] = c0 + (c1 - c0) * fz;
                }
            }
        });
        return result;
    }

    public static Volume<T> Nearest<T>(Volume<T> source, VolumeGeometry target, T outsideValue = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Volume<T>(target);
        var map = IndexMap.Between(target, source.Geometry);
        var src = source.Data;
        var (nx, ny, nz) = (source.Geometry.SizeX, source.Geometry.SizeY, source.Geometry.SizeZ);
        Parallel.For(0, target.SizeZ, k =>
        {
            var dst = result.Slice(k);
            for (var j = 0; j < target.SizeY; j++)
            {
                var row = dst.Slice(j * target.SizeX, target.SizeX);
                var p = map.RowStart(j, k);
                for (var i = 0; i < row.Length; i++, p += map.StepI)
                {
                    row[i] = Clamp(p.X, nx, out var x) && Clamp(p.Y, ny, out var y) && Clamp(p.Z, nz, out var z)
                        ? src[(int)Math.Round(x) + nx * ((int)Math.Round(y) + ny * (int)Math.Round(z))]
                        : outsideValue;
                }
            }
        });
        return result;
    }

    /// <summary>Inside [−0.5, n − 0.5] (the voxels' extent), clamped to [0, n − 1]; otherwise false.</summary>
    private static bool Clamp(double v, int n, out double clamped)
    {
        clamped = Math.Clamp(v, 0, n - 1);
        return v >= -0.5 && v <= n - 0.5;
    }

    /// <summary>The affine map from target voxel indices to source continuous indices, stepped along target rows.</summary>
    private readonly record struct IndexMap(Vector3D Origin, Vector3D StepI, Vector3D StepJ, Vector3D StepK)
    {
        public static IndexMap Between(VolumeGeometry target, VolumeGeometry source)
        {
            var o = source.PatientToIndex(target.IndexToPatient(0, 0, 0));
            return new IndexMap(o,
                source.PatientToIndex(target.IndexToPatient(1, 0, 0)) - o,
                source.PatientToIndex(target.IndexToPatient(0, 1, 0)) - o,
                source.PatientToIndex(target.IndexToPatient(0, 0, 1)) - o);
        }

        public Vector3D RowStart(int j, int k) => Origin + StepJ * j + StepK * k;
    }
}
