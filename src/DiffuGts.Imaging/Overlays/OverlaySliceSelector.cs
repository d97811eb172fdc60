using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Chooses the slices to render. A lesion is a 26-connected component of a segment's mask; its key slice is the slice k
/// where it has the most voxels (lowest k on a tie). Every segment's largest lesion contributes its key slice first, so
/// the cap never drops a segment entirely; the remaining places go to the slices with the most finding voxels.
/// </summary>
public static class OverlaySliceSelector
{
    /// <summary>The chosen slice indices, ascending; empty when no segment has a voxel.</summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<OverlaySegment> segments, OverlaySliceSelection? selection = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        selection ??= OverlaySliceSelection.Default;
        selection.Validate();
        if (segments.Count == 0)
        {
            return [];
        }

        var g = segments[0].Mask.Geometry;
        if (segments.Any(s => !s.Mask.Geometry.SameGridAs(g)))
        {
            throw new ArgumentException("every segment mask must be on the same grid", nameof(segments));
        }

        var keySlices = new List<int>();
        var candidates = new List<int>();
        var area = new long[g.SizeZ];
        foreach (var segment in segments)
        {
            if (LargestLesionAreas(segment.Mask) is not { } lesion)
            {
                continue;
            }

            var key = ArgMax(lesion.Areas) + lesion.FirstSlice;
            keySlices.Add(key);
            if (selection.Policy == OverlaySlicePolicy.KeySlices)
            {
                var lastSlice = lesion.FirstSlice + lesion.Areas.Length - 1;
                for (var k = Math.Max(lesion.FirstSlice, key - selection.SlicesEitherSide); k <= Math.Min(lastSlice, key + selection.SlicesEitherSide); k++)
                {
                    candidates.Add(k);
                    area[k] = Math.Max(area[k], lesion.Areas[k - lesion.FirstSlice]);
                }
            }
            else
            {
                for (var k = 0; k < g.SizeZ; k++)
                {
                    var n = Count(segment.Mask.Slice(k));
                    if (n > 0)
                    {
                        candidates.Add(k);
                        area[k] += n;
                    }
                }
            }
        }

        var chosen = new SortedSet<int>();
        foreach (var k in keySlices.Distinct())
        {
            if (chosen.Count < selection.MaxSlices)
            {
                chosen.Add(k);
            }
        }

        foreach (var k in candidates.Distinct().OrderByDescending(k => area[k]).ThenBy(k => k))
        {
            if (chosen.Count >= selection.MaxSlices)
            {
                break;
            }

            chosen.Add(k);
        }

        return [.. chosen];
    }

    /// <summary>Voxels per slice of the mask's largest lesion, from its first slice; null for an empty mask.</summary>
    private static (int FirstSlice, long[] Areas)? LargestLesionAreas(Volume<byte> mask)
    {
        // Label only the bounding box: a full-grid int label volume of a 512×512×300 CT would cost ~300 MB for a lesion of a few cm.
        if (BoundingBox(mask) is not { } box)
        {
            return null;
        }

        var g = mask.Geometry;
        var (nx, ny, nz) = (box.X1 - box.X0 + 1, box.Y1 - box.Y0 + 1, box.Z1 - box.Z0 + 1);
        var crop = new Volume<byte>(VolumeGeometry.Axial(nx, ny, nz, g.Spacing));
        for (var k = 0; k < nz; k++)
        {
            for (var j = 0; j < ny; j++)
            {
                for (var i = 0; i < nx; i++)
                {
                    crop[i, j, k] = mask[box.X0 + i, box.Y0 + j, box.Z0 + k];
                }
            }
        }

        var labels = ConnectedComponents.Label(crop);
        var largest = labels.Largest;
        var areas = new long[nz];
        for (var n = 0; n < labels.Labels.Data.Length; n++)
        {
            if (labels.Labels.Data[n] == largest)
            {
                areas[n / (nx * ny)]++;
            }
        }

        return (box.Z0, areas);
    }

    private static (int X0, int X1, int Y0, int Y1, int Z0, int Z1)? BoundingBox(Volume<byte> mask)
    {
        var g = mask.Geometry;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    if (mask[i, j, k] != 0)
                    {
                        (x0, x1, y0, y1, z0, z1) = (Math.Min(x0, i), Math.Max(x1, i), Math.Min(y0, j), Math.Max(y1, j), Math.Min(z0, k), Math.Max(z1, k));
                    }
                }
            }
        }

        return x1 < 0 ? null : (x0, x1, y0, y1, z0, z1);
    }

    private static int ArgMax(long[] values)
    {
        var best = 0;
        for (var n = 1; n < values.Length; n++)
        {
            if (values[n] > values[best])
            {
                best = n;
            }
        }

        return best;
    }

    private static long Count(ReadOnlySpan<byte> slice)
    {
        long n = 0;
        foreach (var v in slice)
        {
            n += v != 0 ? 1 : 0;
        }

        return n;
    }
}
