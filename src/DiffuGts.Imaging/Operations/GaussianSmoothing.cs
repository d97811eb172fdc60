using System.Buffers;
using System.Numerics.Tensors;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// Separable Gaussian smoothing with σ in millimetres (σ/spacing voxels per axis), a kernel truncated at 3σ and normalised
/// to sum 1, and edge replication at the borders. Runs in place on a copy: one pass per axis, rows in parallel.
/// </summary>
public static class GaussianSmoothing
{
    public static Volume<float> Smooth(Volume<float> volume, double sigmaMm)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentOutOfRangeException.ThrowIfNegative(sigmaMm);
        var g = volume.Geometry;
        var result = new Volume<float>(g, (float[])volume.Data.Clone());
        var (nx, ny, nz) = (g.SizeX, g.SizeY, g.SizeZ);
        var plane = nx * ny;
        Pass(result.Data, Kernel(sigmaMm / g.Spacing.X), nx, 1, ny * nz, l => (l % ny) * nx + (l / ny) * plane);
        // Along y and z whole x-rows are combined at once (row = Σ w·row'), which keeps memory access contiguous.
        RowPass(result.Data, Kernel(sigmaMm / g.Spacing.Y), ny, nx, nx, nz, b => b * plane);
        RowPass(result.Data, Kernel(sigmaMm / g.Spacing.Z), nz, plane, nx, ny, b => b * nx);
        return result;
    }

    /// <summary>Weights w[−r..r] (index r is the centre); null when σ is too small to matter.</summary>
    internal static float[]? Kernel(double sigmaVoxels)
    {
        if (sigmaVoxels < 0.1)
        {
            return null;
        }

        var radius = (int)Math.Ceiling(3 * sigmaVoxels);
        var w = new float[2 * radius + 1];
        double sum = 0;
        for (var d = -radius; d <= radius; d++)
        {
            var v = Math.Exp(-0.5 * d * d / (sigmaVoxels * sigmaVoxels));
            w[d + radius] = (float)v;
            sum += v;
        }

        for (var n = 0; n < w.Length; n++)
        {
            w[n] = (float)(w[n] / sum);
        }

        return w;
    }

    /// <summary>
    /// Convolves, in each of <paramref name="blocks"/> blocks, <paramref name="length"/> rows of <paramref name="rowLength"/>
    /// samples spaced <paramref name="stride"/> apart along the axis: row n ← Σ_d w[d]·row clamp(n + d).
    /// </summary>
    private static void RowPass(float[] data, float[]? kernel, int length, int stride, int rowLength, int blocks, Func<int, int> blockStart)
    {
        if (kernel is null || length == 1)
        {
            return;
        }

        var r = kernel.Length / 2;
        Parallel.For(0, blocks, () => ArrayPool<float>.Shared.Rent(length * rowLength), (b, _, copy) =>
        {
            var start = blockStart(b);
            for (var n = 0; n < length; n++)
            {
                data.AsSpan(start + n * stride, rowLength).CopyTo(copy.AsSpan(n * rowLength, rowLength));
            }

            for (var n = 0; n < length; n++)
            {
                var target = data.AsSpan(start + n * stride, rowLength);
                target.Clear();
                for (var d = -r; d <= r; d++)
                {
                    var src = copy.AsSpan(Math.Clamp(n + d, 0, length - 1) * rowLength, rowLength);
                    TensorPrimitives.MultiplyAdd(src, kernel[d + r], target, target);
                }
            }

            return copy;
        }, copy => ArrayPool<float>.Shared.Return(copy));
    }

    /// <summary>Convolves every line of <paramref name="length"/> samples spaced <paramref name="stride"/> apart.</summary>
    private static void Pass(float[] data, float[]? kernel, int length, int stride, int lines, Func<int, int> lineStart)
    {
        if (kernel is null || length == 1)
        {
            return;
        }

        var r = kernel.Length / 2;
        Parallel.For(0, lines, () => ArrayPool<float>.Shared.Rent(length), (l, _, line) =>
        {
            var start = lineStart(l);
            for (var n = 0; n < length; n++)
            {
                line[n] = data[start + n * stride];
            }

            for (var n = 0; n < length; n++)
            {
                float acc = 0;
                for (var d = -r; d <= r; d++)
                {
                    acc += kernel[d + r] * line[Math.Clamp(n + d, 0, length - 1)];
                }

                data[start + n * stride] = acc;
            }

            return line;
        }, line => ArrayPool<float>.Shared.Return(line));
    }
}
