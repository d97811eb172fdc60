using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Tiling;

/// <summary>
/// Sliding-window inference over a base grid (z, y, x) with overlap and blending (MONAI's sliding_window_inference,
/// method note §5.8). Inputs and outputs live on grids that are the base grid divided by a stride, so one window can feed
/// an image to an encoder and collect latents (stride f) and features (strides 1, 2, 4) at once.
/// </summary>
internal static class SlidingWindow
{
    /// <summary>A tensor [1, C, Z/s, Y/s, X/s] taking part in the window, with its stride s relative to the base grid.</summary>
    public sealed record Part(FloatTensor Tensor, int Stride);

    /// <summary>An output the window assembles: C channels at stride s.</summary>
    public sealed record OutputPart(int Channels, int Stride);

    /// <summary>
    /// Runs <paramref name="run"/> on every tile and blends the outputs. With <paramref name="reuseUniformTiles"/>, a tile
    /// whose every input holds one value throughout (air and padding below an intensity window, clipped to its minimum)
    /// takes the outputs of the first tile with the same values instead of running again: only for a
    /// <paramref name="run"/> whose result does not depend on where the tile lies (a convolutional encoder, not one fed
    /// positions or per-tile state). The outputs are those of running every tile.
    /// </summary>
    public static FloatTensor[] Run(
        (int Z, int Y, int X) baseSize,
        (int Z, int Y, int X) tile,
        double overlap,
        BlendMode blend,
        int alignment,
        IReadOnlyList<Part> inputs,
        IReadOnlyList<OutputPart> outputs,
        Func<FloatTensor[], CancellationToken, FloatTensor[]> run,
        CancellationToken cancellationToken,
        Action<int, int>? progress = null,
        bool reuseUniformTiles = false)
    {
        var uniform = new Dictionary<string, FloatTensor[]>(StringComparer.Ordinal);
        var tz = Math.Min(tile.Z, baseSize.Z);
        var ty = Math.Min(tile.Y, baseSize.Y);
        var tx = Math.Min(tile.X, baseSize.X);
        var zs = Starts(baseSize.Z, tz, overlap, alignment);
        var ys = Starts(baseSize.Y, ty, overlap, alignment);
        var xs = Starts(baseSize.X, tx, overlap, alignment);
        var sums = outputs.Select(o => new FloatTensor([1, o.Channels, baseSize.Z / o.Stride, baseSize.Y / o.Stride, baseSize.X / o.Stride])).ToArray();
        var norms = outputs.Select(o => new float[(baseSize.Z / o.Stride) * (baseSize.Y / o.Stride) * (baseSize.X / o.Stride)]).ToArray();
        var weights = outputs.Select(o => BlendWeights.Create(blend, tz / o.Stride, ty / o.Stride, tx / o.Stride)).ToArray();
        var total = zs.Count * ys.Count * xs.Count;
        var done = 0;
        foreach (var z0 in zs)
        {
            foreach (var y0 in ys)
            {
                foreach (var x0 in xs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var tileInputs = inputs.Select(p => Crop(p.Tensor, z0 / p.Stride, y0 / p.Stride, x0 / p.Stride, tz / p.Stride, ty / p.Stride, tx / p.Stride)).ToArray();
                    var key = reuseUniformTiles ? UniformKey(tileInputs) : null;
                    FloatTensor[]? tileOutputs = null;
                    if (key is null || !uniform.TryGetValue(key, out tileOutputs))
                    {
                        tileOutputs = run(tileInputs, cancellationToken);
                        if (key is not null)
                        {
                            uniform[key] = tileOutputs;
                        }
                    }

                    for (var o = 0; o < outputs.Count; o++)
                    {
                        var s = outputs[o].Stride;
                        Accumulate(tileOutputs[o], sums[o], norms[o], weights[o], z0 / s, y0 / s, x0 / s, (tz / s, ty / s, tx / s));
                    }

                    progress?.Invoke(++done, total);
                }
            }
        }

        for (var o = 0; o < outputs.Count; o++)
        {
            var plane = norms[o].Length;
            for (var c = 0; c < outputs[o].Channels; c++)
            {
                var data = sums[o].Data.AsSpan(c * plane, plane);
                for (var n = 0; n < plane; n++)
                {
                    data[n] /= norms[o][n];
                }
            }
        }

        return sums;
    }

    /// <summary>The bit patterns of the one value each input holds throughout, or null when any input varies.</summary>
    private static string? UniformKey(FloatTensor[] tileInputs)
    {
        var values = new int[tileInputs.Length];
        for (var n = 0; n < tileInputs.Length; n++)
        {
            var data = tileInputs[n].Data.AsSpan();
            if (data.Length == 0 || data.IndexOfAnyExcept(data[0]) >= 0)
            {
                return null;
            }

            values[n] = BitConverter.SingleToInt32Bits(data[0]);
        }

        return string.Join(',', values);
    }

    /// <summary>Tile starts along one axis: aligned steps of tile·(1 − overlap), the last tile flush with the end.</summary>
    public static List<int> Starts(int size, int tile, double overlap, int alignment)
    {
        if (tile >= size)
        {
            return [0];
        }

        var step = Math.Max(alignment, (int)(tile * (1 - overlap)) / alignment * alignment);
        var starts = new List<int>();
        for (var s = 0; s + tile < size; s += step)
        {
            starts.Add(s);
        }

        starts.Add(size - tile);
        return starts;
    }

    /// <summary>The largest tile within the manifest's that fits the memory budget (shrinking the longest axis first).</summary>
    public static (int Z, int Y, int X) FitToBudget((int Z, int Y, int X) tile, int alignment, double bytesPerVoxel, long budgetBytes)
    {
        var t = new[] { tile.Z, tile.Y, tile.X };
        while ((double)t[0] * t[1] * t[2] * bytesPerVoxel > budgetBytes)
        {
            var axis = Array.IndexOf(t, t.Max());
            if (t[axis] <= alignment)
            {
                break;
            }

            t[axis] -= alignment;
        }

        return (t[0], t[1], t[2]);
    }

    public static FloatTensor Crop(FloatTensor source, int z0, int y0, int x0, int dz, int dy, int dx)
    {
        var (sz, sy, sx) = source.Spatial;
        var channels = source.Channels;
        var result = new FloatTensor([1, channels, dz, dy, dx]);
        for (var c = 0; c < channels; c++)
        {
            for (var k = 0; k < dz; k++)
            {
                for (var j = 0; j < dy; j++)
                {
                    var from = (((((c * sz) + z0 + k) * sy) + y0 + j) * sx) + x0;
                    var to = (((c * dz) + k) * dy + j) * dx;
                    Array.Copy(source.Data, from, result.Data, to, dx);
                }
            }
        }

        return result;
    }

    public static void Paste(FloatTensor tile, FloatTensor target, int z0, int y0, int x0)
    {
        var (tz, ty, tx) = tile.Spatial;
        var (sz, sy, sx) = target.Spatial;
        for (var c = 0; c < tile.Channels; c++)
        {
            for (var k = 0; k < tz; k++)
            {
                for (var j = 0; j < ty; j++)
                {
                    Array.Copy(tile.Data, (((c * tz) + k) * ty + j) * tx, target.Data, (((((c * sz) + z0 + k) * sy) + y0 + j) * sx) + x0, tx);
                }
            }
        }
    }

    private static void Accumulate(FloatTensor tile, FloatTensor sum, float[] norm, float[] weight, int z0, int y0, int x0, (int Z, int Y, int X) size)
    {
        var (sz, sy, sx) = sum.Spatial;
        if (tile.Spatial != size)
        {
            throw new InvalidOperationException($"a tile output is {tile}, expected spatial size {size}");
        }

        var plane = sz * sy * sx;
        var tilePlane = size.Z * size.Y * size.X;
        for (var k = 0; k < size.Z; k++)
        {
            for (var j = 0; j < size.Y; j++)
            {
                for (var i = 0; i < size.X; i++)
                {
                    var t = (((k * size.Y) + j) * size.X) + i;
                    var g = ((((z0 + k) * sy) + y0 + j) * sx) + x0 + i;
                    var w = weight[t];
                    norm[g] += w;
                    for (var c = 0; c < sum.Channels; c++)
                    {
                        sum.Data[(c * plane) + g] += w * tile.Data[(c * tilePlane) + t];
                    }
                }
            }
        }
    }
}
