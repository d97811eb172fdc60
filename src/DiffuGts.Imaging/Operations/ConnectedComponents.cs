using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// 3D connected-component labelling of a binary mask (non-zero = foreground) by flood fill with an explicit stack: no
/// recursion, and the only allocations are the label volume and the stack (which grows by doubling).
/// </summary>
public static class ConnectedComponents
{
    public static ComponentLabeling Label<T>(Volume<T> mask, Connectivity connectivity = Connectivity.Full26)
        where T : unmanaged, IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(mask);
        var g = mask.Geometry;
        var (nx, ny, nz) = (g.SizeX, g.SizeY, g.SizeZ);
        var labels = new Volume<int>(g);
        var lab = labels.Data;
        var src = mask.Data;
        var offsets = Neighbours(connectivity);
        var sizes = new List<long>();
        var stack = new int[1024];
        var plane = nx * ny;
        for (var seed = 0; seed < src.Length; seed++)
        {
            if (lab[seed] != 0 || src[seed].Equals(default))
            {
                continue;
            }

            var label = sizes.Count + 1;
            long size = 0;
            var top = 0;
            stack[top++] = seed;
            lab[seed] = label;
            while (top > 0)
            {
                var v = stack[--top];
                size++;
                var z = v / plane;
                var rem = v - z * plane;
                var y = rem / nx;
                var x = rem - y * nx;
                foreach (var (dx, dy, dz) in offsets)
                {
                    int xx = x + dx, yy = y + dy, zz = z + dz;
                    if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz)
                    {
                        continue;
                    }

                    var n = xx + nx * yy + plane * zz;
                    if (lab[n] != 0 || src[n].Equals(default))
                    {
                        continue;
                    }

                    lab[n] = label;
                    if (top == stack.Length)
                    {
                        Array.Resize(ref stack, stack.Length * 2);
                    }

                    stack[top++] = n;
                }
            }

            sizes.Add(size);
        }

        return new ComponentLabeling(labels, [.. sizes]);
    }

    private static (int Dx, int Dy, int Dz)[] Neighbours(Connectivity connectivity)
    {
        var list = new List<(int, int, int)>();
        for (var dz = -1; dz <= 1; dz++)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var manhattan = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                    if (manhattan == 0 || (connectivity == Connectivity.Faces6 && manhattan > 1))
                    {
                        continue;
                    }

                    list.Add((dx, dy, dz));
                }
            }
        }

        return [.. list];
    }
}
