using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// The few image operations the pipeline needs (resampling between grids, binary dilation, 3D connected components).
/// Kept private to Inference until the Imaging library offers them; all work on <see cref="Volume{T}"/> layouts.
/// </summary>
internal static class VolumeOps
{
    /// <summary>Trilinear resampling of <paramref name="source"/> onto <paramref name="target"/> in patient space; outside → <paramref name="outside"/>.</summary>
    public static Volume<float> ResampleLinear(Volume<float> source, VolumeGeometry target, float outside)
    {
        var result = new Volume<float>(target);
        var g = source.Geometry;
        Parallel.For(0, target.SizeZ, k =>
        {
            for (var j = 0; j < target.SizeY; j++)
            {
                for (var i = 0; i < target.SizeX; i++)
                {
                    var p = g.PatientToIndex(target.IndexToPatient(i, j, k));
                    result.Data[i + (target.SizeX * (j + (target.SizeY * k)))] = Sample(source, p.X, p.Y, p.Z, outside);
                }
            }
        });
        return result;
    }

    /// <summary>Nearest-neighbour resampling of a label or probability volume.</summary>
    public static Volume<T> ResampleNearest<T>(Volume<T> source, VolumeGeometry target, T outside)
        where T : unmanaged
    {
        var result = new Volume<T>(target);
        var g = source.Geometry;
        Parallel.For(0, target.SizeZ, k =>
        {
            for (var j = 0; j < target.SizeY; j++)
            {
                for (var i = 0; i < target.SizeX; i++)
                {
                    var p = g.PatientToIndex(target.IndexToPatient(i, j, k));
                    var (x, y, z) = ((int)Math.Round(p.X), (int)Math.Round(p.Y), (int)Math.Round(p.Z));
                    var inside = x >= 0 && y >= 0 && z >= 0 && x < g.SizeX && y < g.SizeY && z < g.SizeZ;
                    result.Data[i + (target.SizeX * (j + (target.SizeY * k)))] = inside ? source[x, y, z] : outside;
                }
            }
        });
        return result;
    }

    /// <summary>Trilinear upsampling of a (z, y, x) grid by an integer factor, voxel centres aligned (align_corners=False).</summary>
    public static float[] Upsample(ReadOnlySpan<float> source, (int Z, int Y, int X) size, int factor)
    {
        var (nz, ny, nx) = (size.Z * factor, size.Y * factor, size.X * factor);
        var geometry = VolumeGeometry.Axial(size.X, size.Y, size.Z, new Vector3D(1, 1, 1));
        var src = new Volume<float>(geometry, source.ToArray());
        var result = new float[nz * ny * nx];
        for (var k = 0; k < nz; k++)
        {
            var z = Math.Clamp(((k + 0.5) / factor) - 0.5, 0, size.Z - 1);
            for (var j = 0; j < ny; j++)
            {
                var y = Math.Clamp(((j + 0.5) / factor) - 0.5, 0, size.Y - 1);
                for (var i = 0; i < nx; i++)
                {
                    var x = Math.Clamp(((i + 0.5) / factor) - 0.5, 0, size.X - 1);
                    result[i + (nx * (j + (ny * k)))] = Sample(src, x, y, z, 0);
                }
            }
        }

        return result;
    }

    /// <summary>Binary dilation with the 26-neighbourhood (3×3×3 cube), <paramref name="iterations"/> times.</summary>
    public static bool[] Dilate(bool[] mask, (int Z, int Y, int X) size, int iterations)
    {
        var current = mask;
        for (var n = 0; n < iterations; n++)
        {
            var next = new bool[current.Length];
            for (var k = 0; k < size.Z; k++)
            {
                for (var j = 0; j < size.Y; j++)
                {
                    for (var i = 0; i < size.X; i++)
                    {
                        if (!current[i + (size.X * (j + (size.Y * k)))])
                        {
                            continue;
                        }

                        for (var dk = Math.Max(0, k - 1); dk <= Math.Min(size.Z - 1, k + 1); dk++)
                        {
                            for (var dj = Math.Max(0, j - 1); dj <= Math.Min(size.Y - 1, j + 1); dj++)
                            {
                                for (var di = Math.Max(0, i - 1); di <= Math.Min(size.X - 1, i + 1); di++)
                                {
                                    next[di + (size.X * (dj + (size.Y * dk)))] = true;
                                }
                            }
                        }
                    }
                }
            }

            current = next;
        }

        return current;
    }

    /// <summary>26-connected components of a binary mask: labels 1…n (0 = background) and the voxel count of each.</summary>
    public static (int[] Labels, List<int> Sizes) Components(bool[] mask, (int Z, int Y, int X) size)
    {
        var labels = new int[mask.Length];
        var sizes = new List<int>();
        var queue = new Queue<int>();
        var plane = size.X * size.Y;
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || labels[start] != 0)
            {
                continue;
            }

            var label = sizes.Count + 1;
            var count = 0;
            labels[start] = label;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var v = queue.Dequeue();
                count++;
                var (k, rest) = Math.DivRem(v, plane);
                var (j, i) = Math.DivRem(rest, size.X);
                for (var dk = Math.Max(0, k - 1); dk <= Math.Min(size.Z - 1, k + 1); dk++)
                {
                    for (var dj = Math.Max(0, j - 1); dj <= Math.Min(size.Y - 1, j + 1); dj++)
                    {
                        for (var di = Math.Max(0, i - 1); di <= Math.Min(size.X - 1, i + 1); di++)
                        {
                            var w = di + (size.X * (dj + (size.Y * dk)));
                            if (mask[w] && labels[w] == 0)
                            {
                                labels[w] = label;
                                queue.Enqueue(w);
                            }
                        }
                    }
                }
            }

            sizes.Add(count);
        }

        return (labels, sizes);
    }

    private static float Sample(Volume<float> v, double x, double y, double z, float outside)
    {
        var g = v.Geometry;
        const double Edge = 0.5;
        if (x < -Edge || y < -Edge || z < -Edge || x > g.SizeX - 1 + Edge || y > g.SizeY - 1 + Edge || z > g.SizeZ - 1 + Edge)
        {
            return outside;
        }

        x = Math.Clamp(x, 0, g.SizeX - 1);
        y = Math.Clamp(y, 0, g.SizeY - 1);
        z = Math.Clamp(z, 0, g.SizeZ - 1);
        var (x0, y0, z0) = ((int)x, (int)y, (int)z);
        var (x1, y1, z1) = (Math.Min(x0 + 1, g.SizeX - 1), Math.Min(y0 + 1, g.SizeY - 1), Math.Min(z0 + 1, g.SizeZ - 1));
        var (fx, fy, fz) = (x - x0, y - y0, z - z0);
        double Lerp(double a, double b, double t) => a + ((b - a) * t);
        var c00 = Lerp(v[x0, y0, z0], v[x1, y0, z0], fx);
        var c10 = Lerp(v[x0, y1, z0], v[x1, y1, z0], fx);
        var c01 = Lerp(v[x0, y0, z1], v[x1, y0, z1], fx);
        var c11 = Lerp(v[x0, y1, z1], v[x1, y1, z1], fx);
        return (float)Lerp(Lerp(c00, c10, fy), Lerp(c01, c11, fy), fz);
    }
}
