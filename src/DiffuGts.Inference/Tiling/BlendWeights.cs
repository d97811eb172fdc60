using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Tiling;

/// <summary>Per-voxel weights of one tile when overlapping tiles are averaged (separable in z, y, x).</summary>
internal static class BlendWeights
{
    /// <summary>Weights of a tile of size (z, y, x), row-major.</summary>
    public static float[] Create(BlendMode mode, int z, int y, int x)
    {
        var wz = Axis(mode, z);
        var wy = Axis(mode, y);
        var wx = Axis(mode, x);
        var weights = new float[z * y * x];
        for (var k = 0; k < z; k++)
        {
            for (var j = 0; j < y; j++)
            {
                for (var i = 0; i < x; i++)
                {
                    weights[(((k * y) + j) * x) + i] = Math.Max(wz[k] * wy[j] * wx[i], 1e-3f);
                }
            }
        }

        return weights;
    }

    private static float[] Axis(BlendMode mode, int n)
    {
        var w = new float[n];
        var centre = (n - 1) / 2.0;
        // MONAI's Gaussian importance map: σ = 0.125 × ROI size per axis.
        var sigma = 0.125 * n;
        for (var i = 0; i < n; i++)
        {
            w[i] = mode switch
            {
                BlendMode.Gaussian => (float)Math.Exp(-0.5 * Math.Pow((i - centre) / sigma, 2)),
                BlendMode.Linear => (float)(1 - (Math.Abs(i - centre) / (centre + 1))),
                _ => 1f,
            };
        }

        return w;
    }
}
