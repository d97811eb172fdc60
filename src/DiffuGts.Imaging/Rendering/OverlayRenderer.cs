using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Rendering;

/// <summary>
/// Renders one slice as 8-bit RGB (PlanarConfiguration 0: R G B per pixel): the windowed grey image, each mask's outline
/// (a mask pixel with a 4-neighbour outside the mask) in its colour, an optional translucent fill, and a legend burned in at
/// the top left on a dark box.
/// </summary>
public static class OverlayRenderer
{
    public static byte[] RenderSlice(Volume<float> image, int slice, DisplayWindow window,
        IReadOnlyList<(Volume<byte> Mask, int Color)> masks, IReadOnlyList<string> legend, double fillOpacity = 0.25)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(legend);
        var g = image.Geometry;
        var (w, h) = (g.SizeX, g.SizeY);
        var grey = new byte[w * h];
        window.Apply(image.Slice(slice), grey);
        var rgb = new byte[w * h * 3];
        for (var n = 0; n < grey.Length; n++)
        {
            rgb[3 * n] = rgb[3 * n + 1] = rgb[3 * n + 2] = grey[n];
        }

        foreach (var (mask, color) in masks)
        {
            var m = mask.Slice(slice);
            byte r = (byte)(color >> 16), gg = (byte)(color >> 8), b = (byte)color;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var n = x + y * w;
                    if (m[n] == 0)
                    {
                        continue;
                    }

                    var edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || m[n - 1] == 0 || m[n + 1] == 0 || m[n - w] == 0 || m[n + w] == 0;
                    var a = edge ? 1.0 : fillOpacity;
                    rgb[3 * n] = Blend(rgb[3 * n], r, a);
                    rgb[3 * n + 1] = Blend(rgb[3 * n + 1], gg, a);
                    rgb[3 * n + 2] = Blend(rgb[3 * n + 2], b, a);
                }
            }
        }

        DrawLegend(rgb, w, h, legend, masks.Count > 0 ? masks[0].Color : 0xFFFFFF);
        return rgb;
    }

    /// <summary>Text lines at the top left, scaled up on large images (2× from 400 columns) over a black box.</summary>
    internal static void DrawLegend(byte[] rgb, int w, int h, IReadOnlyList<string> lines, int firstLineColor)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var scale = Math.Max(1, w / 400 + (w >= 400 ? 1 : 0));
        scale = Math.Min(scale, 3);
        var margin = 2 * scale;
        var boxW = Math.Min(w, lines.Max(l => BitmapFont.MeasureWidth(l, scale)) + 2 * margin);
        var boxH = Math.Min(h, lines.Count * BitmapFont.CellHeight * scale + 2 * margin);
        for (var y = 0; y < boxH; y++)
        {
            rgb.AsSpan(3 * y * w, 3 * boxW).Clear();
        }

        for (var line = 0; line < lines.Count; line++)
        {
            var color = line == 0 ? firstLineColor : 0xFFFFFF;
            var top = margin + line * BitmapFont.CellHeight * scale;
            var left = margin;
            foreach (var c in lines[line])
            {
                for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                {
                    for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    {
                        if (!BitmapFont.IsSet(c, gx, gy))
                        {
                            continue;
                        }

                        for (var sy = 0; sy < scale; sy++)
                        {
                            for (var sx = 0; sx < scale; sx++)
                            {
                                int px = left + gx * scale + sx, py = top + gy * scale + sy;
                                if (px < w && py < h)
                                {
                                    var n = 3 * (px + py * w);
                                    rgb[n] = (byte)(color >> 16);
                                    rgb[n + 1] = (byte)(color >> 8);
                                    rgb[n + 2] = (byte)color;
                                }
                            }
                        }
                    }
                }

                left += BitmapFont.CellWidth * scale;
            }
        }
    }

    private static byte Blend(byte under, byte over, double alpha) => (byte)Math.Round(under + (over - under) * alpha);
}
