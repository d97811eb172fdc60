using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// The latent-grid operations the pipeline needs on plain (z, y, x) arrays: upsampling by the VAE factor and binary
/// dilation in latent voxels. Resampling between patient grids and connected components come from DiffuGts.Imaging.
/// </summary>
internal static class VolumeOps
{
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
