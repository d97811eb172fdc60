namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Exact squared Euclidean distance transform with anisotropic voxel spacing: for every voxel, the squared distance in
/// mm² to the nearest feature voxel (voxel centres). Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled
/// Functions", Theory of Computing 8 (2012): the 3D transform is three 1D passes, each the lower envelope of parabolas
/// <c>f(q) + w²(p − q)²</c>, where w is the spacing along that axis. O(n) per line.
/// </summary>
internal static class EuclideanDistanceTransform
{
    /// <summary>Squared distances (mm²) to the nearest voxel where <paramref name="feature"/> is true; +∞ when there is none.</summary>
    public static double[] SquaredDistances(ReadOnlySpan<bool> feature, int nx, int ny, int nz, double sx, double sy, double sz)
    {
        var d = new double[feature.Length];
        for (var n = 0; n < d.Length; n++)
        {
            d[n] = feature[n] ? 0.0 : double.PositiveInfinity;
        }

        // x lines are contiguous; y lines start at i + nx·ny·k with stride nx; z lines start at i + nx·j with stride nx·ny.
        Pass(d, ny * nz, nx, line => line * nx, 1, sx * sx);
        Pass(d, nx * nz, ny, line => line % nx + nx * ny * (line / nx), nx, sy * sy);
        Pass(d, nx * ny, nz, line => line, nx * ny, sz * sz);
        return d;
    }

    private static void Pass(double[] d, int lines, int length, Func<int, int> startOf, int stride, double w2)
    {
        Parallel.For(0, lines, () => new LineBuffers(length), (line, _, buffers) =>
        {
            Line(d, startOf(line), stride, length, w2, buffers);
            return buffers;
        }, _ => { });
    }

    /// <summary>One 1D pass in place (FH Algorithm 1, with +∞ samples skipped so empty lines stay +∞).</summary>
    private static void Line(double[] d, int start, int stride, int n, double w2, LineBuffers b)
    {
        var f = b.F;
        for (var q = 0; q < n; q++)
        {
            f[q] = d[start + q * stride];
        }

        var v = b.V;
        var z = b.Z;
        var k = -1;
        for (var q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q]))
            {
                continue;
            }

            if (k < 0)
            {
                k = 0;
                v[0] = q;
                z[0] = double.NegativeInfinity;
                z[1] = double.PositiveInfinity;
                continue;
            }

            // s: where the parabola from q overtakes the one from v[k] (FH eq. for the intersection, scaled by w²).
            double s;
            while (true)
            {
                var r = v[k];
                s = (f[q] + w2 * q * q - (f[r] + w2 * r * r)) / (2.0 * w2 * (q - r));
                if (s > z[k])
                {
                    break;
                }

                k--;
            }

            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }

        if (k < 0)
        {
            return;
        }

        var j = 0;
        for (var p = 0; p < n; p++)
        {
            while (z[j + 1] < p)
            {
                j++;
            }

            var dp = p - v[j];
            d[start + p * stride] = w2 * dp * dp + f[v[j]];
        }
    }

    private sealed class LineBuffers(int n)
    {
        public double[] F { get; } = new double[n];

        public int[] V { get; } = new int[n];

        public double[] Z { get; } = new double[n + 1];
    }
}
