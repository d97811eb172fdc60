namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// An 8-bit RGB raster, pixel-interleaved (R1 G1 B1 R2 G2 B2 …, row by row from the top): the layout of DICOM's
/// Planar Configuration 0 (PS3.3 C.7.6.3.1.3) and of a PNG colour-type-2 scanline.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
    }

    public int Width { get; }

    public int Height { get; }

#pragma warning disable CA1819 // The raster is the image; callers write it to DICOM or PNG without a copy.
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    public bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    public RgbColor this[int x, int y]
    {
        get
        {
            var n = Offset(x, y);
            return new RgbColor(Pixels[n], Pixels[n + 1], Pixels[n + 2]);
        }

        set
        {
            var n = Offset(x, y);
            Pixels[n] = value.R;
            Pixels[n + 1] = value.G;
            Pixels[n + 2] = value.B;
        }
    }

    /// <summary>Blends <paramref name="color"/> over the rectangle (clipped to the image) with opacity <paramref name="alpha"/>.</summary>
    public void FillRectangle(int x, int y, int width, int height, RgbColor color, double alpha = 1.0)
    {
        var x0 = Math.Max(0, x);
        var y0 = Math.Max(0, y);
        var x1 = Math.Min(Width, x + width);
        var y1 = Math.Min(Height, y + height);
        for (var yy = y0; yy < y1; yy++)
        {
            for (var xx = x0; xx < x1; xx++)
            {
                this[xx, yy] = alpha >= 1.0 ? color : this[xx, yy].Blend(color, alpha);
            }
        }
    }

    private int Offset(int x, int y)
    {
        if (!Contains(x, y))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}×{Height} image");
        }

        return (y * Width + x) * 3;
    }
}
