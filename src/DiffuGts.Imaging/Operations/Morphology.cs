using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// Binary morphology on byte masks (non-zero = foreground; results hold 0/1). The element is applied row by row: for each
/// (dy, dz) offset of the element, a prefix count of the source row answers "any / all foreground within ±half-width" in
/// O(1), and rows without foreground are skipped, so sparse tumour masks cost little even on 512×512×300 grids. Outside
/// the volume counts as background (so erosion shrinks objects that touch the border), as in scipy.ndimage.
/// </summary>
public static class Morphology
{
    public static Volume<byte> Dilate(Volume<byte> mask, StructuringElement element) => Apply(mask, element, dilate: true);

    public static Volume<byte> Erode(Volume<byte> mask, StructuringElement element) => Apply(mask, element, dilate: false);

    public static Volume<byte> Open(Volume<byte> mask, StructuringElement element) => Dilate(Erode(mask, element), element);

    public static Volume<byte> Close(Volume<byte> mask, StructuringElement element) => Erode(Dilate(mask, element), element);

    private static Volume<byte> Apply(Volume<byte> mask, StructuringElement element, bool dilate)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(element);
        var g = mask.Geometry;
        var (nx, ny, nz) = (g.SizeX, g.SizeY, g.SizeZ);
        var prefix = RowPrefixCounts(mask);
        var rows = element.Rows();
        var result = new Volume<byte>(g);
        var src = mask.Data;
        Parallel.For(0, nz, z =>
        {
            var outSlice = result.Slice(z);
            for (var y = 0; y < ny; y++)
            {
                var outRow = outSlice.Slice(y * nx, nx);
                if (dilate)
                {
                    DilateRow(outRow, prefix, rows, y, z, ny, nz);
                }
                else if (prefix[y + ny * z] is not null)
                {
                    ErodeRow(outRow, src.AsSpan((y + ny * z) * nx, nx), prefix, rows, y, z, ny, nz);
                }
            }
        });
        return result;
    }

    private static void DilateRow(Span<byte> outRow, int[]?[] prefix, (int Dy, int Dz, int HalfWidth)[] rows, int y, int z, int ny, int nz)
    {
        var nx = outRow.Length;
        foreach (var (dy, dz, w) in rows)
        {
            int yy = y + dy, zz = z + dz;
            if ((uint)yy >= (uint)ny || (uint)zz >= (uint)nz || prefix[yy + ny * zz] is not { } p)
            {
                continue;
            }

            for (var x = 0; x < nx; x++)
            {
                if (outRow[x] == 0 && p[Math.Min(x + w, nx - 1) + 1] - p[Math.Max(x - w, 0)] > 0)
                {
                    outRow[x] = 1;
                }
            }
        }
    }

    private static void ErodeRow(Span<byte> outRow, ReadOnlySpan<byte> srcRow, int[]?[] prefix,
        (int Dy, int Dz, int HalfWidth)[] rows, int y, int z, int ny, int nz)
    {
        var nx = outRow.Length;
        for (var x = 0; x < nx; x++)
        {
            outRow[x] = srcRow[x] != 0 ? (byte)1 : (byte)0;
        }

        foreach (var (dy, dz, w) in rows)
        {
            int yy = y + dy, zz = z + dz;
            if ((uint)yy >= (uint)ny || (uint)zz >= (uint)nz || prefix[yy + ny * zz] is not { } p)
            {
                outRow.Clear();
                return;
            }

            for (var x = 0; x < nx; x++)
            {
                // All 2w+1 voxels must be foreground and inside the row.
                if (outRow[x] != 0 && (x - w < 0 || x + w >= nx || p[x + w + 1] - p[x - w] != 2 * w + 1))
                {
                    outRow[x] = 0;
                }
            }
        }
    }

    /// <summary>Per row (y + ny·z): null when the row has no foreground, else prefix counts (p[x] = foreground in [0, x)).</summary>
    private static int[]?[] RowPrefixCounts(Volume<byte> mask)
    {
        var g = mask.Geometry;
        var nx = g.SizeX;
        var prefix = new int[]?[g.SizeY * g.SizeZ];
        Parallel.For(0, g.SizeZ, z =>
        {
            for (var y = 0; y < g.SizeY; y++)
            {
                var r = y + g.SizeY * z;
                var row = mask.Data.AsSpan(r * nx, nx);
                if (!row.ContainsAnyExcept((byte)0))
                {
                    continue;
                }

                var p = new int[nx + 1];
                for (var x = 0; x < nx; x++)
                {
                    p[x + 1] = p[x] + (row[x] != 0 ? 1 : 0);
                }

                prefix[r] = p;
            }
        });
        return prefix;
    }
}
