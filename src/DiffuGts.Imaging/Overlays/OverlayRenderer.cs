using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Draws one slice of a volume as an RGB overlay: the slice windowed to grey, each segment's in-plane outline and optional
/// translucent fill in its colour, and a burned-in legend. Slice k is drawn in the volume's own row/column order (pixel
/// (x, y) is voxel (x, y, k)), which is the source images' display order when the volume was built from them.
/// </summary>
public static partial class OverlayRenderer
{
    /// <summary>
    /// The grey window when none is configured: CT abdomen / soft tissue (W 400, L 40 HU); any other modality, whose values
    /// have no fixed units, a window over the volume's 1st–99th percentile.
    /// </summary>
    public static DisplayWindow DefaultWindow(string? modality, Volume<float> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return string.Equals(modality?.Trim(), "CT", StringComparison.OrdinalIgnoreCase)
            ? DisplayWindow.CtSoftTissue
            : DisplayWindow.FromPercentiles(volume.Data);
    }

    /// <summary>Renders slice <paramref name="sliceIndex"/>; masks must lie on the volume's grid.</summary>
    public static RgbImage Render(
        Volume<float> volume, int sliceIndex, IReadOnlyList<OverlaySegment> segments, OverlayModelInfo model, OverlayRenderOptions? options = null) =>
        RenderWithLayout(volume, sliceIndex, segments, model, options).Image;

    internal static (RgbImage Image, LegendLayout? Legend) RenderWithLayout(
        Volume<float> volume, int sliceIndex, IReadOnlyList<OverlaySegment> segments, OverlayModelInfo model, OverlayRenderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(model);
        options ??= OverlayRenderOptions.Default;
        options.Validate();
        var g = volume.Geometry;
        ArgumentOutOfRangeException.ThrowIfNegative(sliceIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sliceIndex, g.SizeZ);
        foreach (var segment in segments)
        {
            if (!segment.Mask.Geometry.SameGridAs(g))
            {
                throw new ArgumentException($"the mask of segment '{segment.Label}' is not on the image grid", nameof(segments));
            }
        }

        var window = options.Window ?? DisplayWindow.FromPercentiles(volume.Data);
        var image = Greyscale(volume, sliceIndex, window);
        foreach (var segment in segments)
        {
            Fill(image, segment.Mask.Slice(sliceIndex), segment.Color, options.FillOpacity);
        }

        // Outlines after every fill, so one segment's fill never covers another's outline.
        foreach (var segment in segments)
        {
            Outline(image, segment.Mask.Slice(sliceIndex), segment.Color, options.OutlineWidth);
        }

        LegendLayout? legend = null;
        if (options.ShowLegend)
        {
            legend = PlaceLegend(image, segments, sliceIndex, model, window, options);
            DrawLegend(image, legend, options.LegendBackingOpacity);
        }

        return (image, legend);
    }

    /// <summary>True where mask pixel (x, y) is inside and lies within <paramref name="width"/> (city-block) of an outside pixel or the image edge.</summary>
    internal static bool IsOutline(ReadOnlySpan<byte> mask, int columns, int rows, int x, int y, int width)
    {
        if (mask[y * columns + x] == 0)
        {
            return false;
        }

        for (var dy = -width; dy <= width; dy++)
        {
            for (var dx = -width; dx <= width; dx++)
            {
                if (Math.Abs(dx) + Math.Abs(dy) > width)
                {
                    continue;
                }

                int xx = x + dx, yy = y + dy;
                if ((uint)xx >= (uint)columns || (uint)yy >= (uint)rows || mask[yy * columns + xx] == 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static RgbImage Greyscale(Volume<float> volume, int k, DisplayWindow window)
    {
        var g = volume.Geometry;
        var grey = new byte[g.SizeX * g.SizeY];
        window.Apply(volume.Slice(k), grey);
        var image = new RgbImage(g.SizeX, g.SizeY);
        var rgb = image.Pixels;
        for (var n = 0; n < grey.Length; n++)
        {
            rgb[3 * n] = rgb[3 * n + 1] = rgb[3 * n + 2] = grey[n];
        }

        return image;
    }

    private static void Fill(RgbImage image, ReadOnlySpan<byte> mask, RgbColor color, double alpha)
    {
        if (alpha <= 0)
        {
            return;
        }

        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (mask[y * image.Width + x] != 0)
                {
                    image[x, y] = image[x, y].Blend(color, alpha);
                }
            }
        }
    }

    private static void Outline(RgbImage image, ReadOnlySpan<byte> mask, RgbColor color, int width)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (IsOutline(mask, image.Width, image.Height, x, y, width))
                {
                    image[x, y] = color;
                }
            }
        }
    }
}
