namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Separable 3D Gaussian filter with edge clamping, in place. Used twice: on the clean phantom (the scanner's point
/// spread, i.e. partial-volume blur) and on white noise (CT noise is spatially correlated by the reconstruction kernel).
/// Weights come from <see cref="DeterministicMath.Exp"/> and sums run in a fixed order, so the result is the same everywhere.
/// </summary>
internal static class GaussianFilter
{
    public static double[] Kernel(double sigmaVoxels)
    {
        if (sigmaVoxels <= 0)
        {
            return [1];
        }

        var radius = (int)Math.Ceiling(3 * sigmaVoxels);
        var w = new double[2 * radius + 1];
        double sum = 0;
        for (var n = -radius; n <= radius; n++)
        {
            w[n + radius] = DeterministicMath.Exp(-0.5 * n * n / (sigmaVoxels * sigmaVoxels));
            sum += w[n + radius];
        }

        for (var n = 0; n < w.Length; n++)
        {
            w[n] /= sum;
        }

        return w;
    }

    /// <summary>Σ w² of a normalised kernel: the factor by which it scales the variance of white noise along one axis.</summary>
    public static double VarianceGain(double[] kernel) => kernel.Sum(w => w * w);

    public static void Apply(float[] data, int nx, int ny, int nz, double[] kx, double[] ky, double[] kz)
    {
        // Axis by axis; each axis filters independent lines, which run in parallel.
        Pass(data, nx, ny * nz, 1, nx, kx, line => line / ny * nx * ny + line % ny * nx);
        Pass(data, ny, nx * nz, nx, nx, ky, line => line / nx * nx * ny + line % nx);
        Pass(data, nz, nx * ny, nx * ny, nx, kz, line => line);
    }

    private static void Pass(float[] data, int length, int lines, int stride, int batch, double[] kernel, Func<int, int> start)
    {
        if (kernel.Length == 1 || length == 1)
        {
            return;
        }

        var radius = kernel.Length / 2;
        Parallel.For(0, (lines + batch - 1) / batch, b =>
        {
            var src = new double[length];
            for (var line = b * batch; line < Math.Min(lines, (b + 1) * batch); line++)
            {
                var s = start(line);
                for (var n = 0; n < length; n++)
                {
                    src[n] = data[s + n * stride];
                }

                for (var n = 0; n < length; n++)
                {
                    double acc = 0;
                    for (var m = -radius; m <= radius; m++)
                    {
                        acc += kernel[m + radius] * src[Math.Clamp(n + m, 0, length - 1)];
                    }

                    data[s + n * stride] = (float)acc;
                }
            }
        });
    }
}
