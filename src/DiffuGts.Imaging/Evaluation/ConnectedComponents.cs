namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Connected-component labelling of a binary 3D mask (two-pass union–find over the already-visited neighbours).
/// Labels are 1..Count in raster order (x fastest) of each component's first voxel; 0 is background. The partition
/// equals <c>scipy.ndimage.label</c>'s with the same structure (its numbering follows numpy's C order instead).
/// </summary>
internal static class ConnectedComponents
{
    /// <summary>Labels <paramref name="mask"/>; <paramref name="connectivity"/> is 6 (faces) or 26 (faces, edges, corners).</summary>
    public static (int[] Labels, int Count) Label(ReadOnlySpan<bool> mask, int nx, int ny, int nz, int connectivity = 26)
    {
        if (connectivity is not (6 or 26))
        {
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "connectivity must be 6 or 26");
        }

        var offsets = BackwardNeighbours(connectivity);
        var labels = new int[mask.Length];
        var parent = new List<int> { 0 };
        for (var k = 0; k < nz; k++)
        {
            for (var j = 0; j < ny; j++)
            {
                for (var i = 0; i < nx; i++)
                {
                    var n = i + nx * (j + ny * k);
                    if (!mask[n])
                    {
                        continue;
                    }

                    var current = 0;
                    foreach (var (di, dj, dk) in offsets)
                    {
                        int a = i + di, b = j + dj, c = k + dk;
                        if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0)
                        {
                            continue;
                        }

                        var other = labels[a + nx * (b + ny * c)];
                        if (other == 0)
                        {
                            continue;
                        }

                        current = current == 0 ? Find(parent, other) : Union(parent, current, other);
                    }

                    if (current == 0)
                    {
                        current = parent.Count;
                        parent.Add(current);
                    }

                    labels[n] = current;
                }
            }
        }

        // Second pass: resolve roots and renumber in order of first appearance.
        var final = new int[parent.Count];
        var count = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] == 0)
            {
                continue;
            }

            var root = Find(parent, labels[n]);
            if (final[root] == 0)
            {
                final[root] = ++count;
            }

            labels[n] = final[root];
        }

        return (labels, count);
    }

    /// <summary>Voxel count of each label 1..count (index 0 unused).</summary>
    public static long[] Sizes(int[] labels, int count)
    {
        var sizes = new long[count + 1];
        foreach (var l in labels)
        {
            sizes[l]++;
        }

        sizes[0] = 0;
        return sizes;
    }

    /// <summary>The neighbours visited before (i, j, k) in raster order.</summary>
    private static List<(int, int, int)> BackwardNeighbours(int connectivity)
    {
        var result = new List<(int, int, int)>();
        for (var dk = -1; dk <= 0; dk++)
        {
            for (var dj = -1; dj <= 1; dj++)
            {
                for (var di = -1; di <= 1; di++)
                {
                    var before = dk < 0 || (dk == 0 && (dj < 0 || (dj == 0 && di < 0)));
                    var steps = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                    if (before && (connectivity == 26 || steps == 1))
                    {
                        result.Add((di, dj, dk));
                    }
                }
            }
        }

        return result;
    }

    private static int Find(List<int> parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }

        return x;
    }

    private static int Union(List<int> parent, int a, int b)
    {
        var ra = Find(parent, a);
        var rb = Find(parent, b);
        if (ra == rb)
        {
            return ra;
        }

        // Keep the smaller root so renumbering by first appearance is unaffected.
        var (keep, drop) = ra < rb ? (ra, rb) : (rb, ra);
        parent[drop] = keep;
        return keep;
    }
}
