using System.Globalization;
using DiffuGts.Imaging.Operations;

namespace DiffuGts.Imaging.Overlays;

public static partial class OverlayRenderer
{
    /// <summary>Longest label drawn in full; longer ones end in "...".</summary>
    private const int MaxLabelCharacters = 40;

    private static readonly RgbColor AbsentText = new(150, 150, 150);

    /// <summary>
    /// Lays out the legend (one line per segment with a colour swatch, the model, the window, the caption) and puts it in
    /// the first image corner whose box covers the fewest finding pixels on this slice, so it never hides the lesion it
    /// describes when a free corner exists.
    /// </summary>
    private static LegendLayout PlaceLegend(
        RgbImage image, IReadOnlyList<OverlaySegment> segments, int k, OverlayModelInfo model, DisplayWindow window, OverlayRenderOptions options)
    {
        var scale = options.TextScale ?? Math.Clamp(Math.Min(image.Width, image.Height) / 256, 1, 8);
        var pad = 3 * scale;
        var lineHeight = BitmapFont.CellHeight * scale;
        var swatch = BitmapFont.GlyphHeight * scale;
        var swatchAdvance = swatch + BitmapFont.CellWidth * scale;
        var lines = new List<LegendLine>();
        foreach (var segment in segments)
        {
            // Every segment is listed on every image so the legend reads the same through the series; one without a voxel on
            // this slice is dimmed and says so, so its colour is not searched for in vain.
            lines.Add(segment.Mask.Slice(k).ContainsAnyExcept((byte)0)
                ? new LegendLine(Shorten(segment.Label), RgbColor.White, segment.Color)
                : new LegendLine(Shorten(segment.Label) + " (other slices)", AbsentText, segment.Color));
        }

        lines.Add(new LegendLine($"Model: {model.Name} {model.Version}", RgbColor.White, null));
        lines.Add(new LegendLine($"W {Number(window.Width)} / L {Number(window.Center)}", RgbColor.White, null));
        if (options.Caption.Length > 0)
        {
            lines.Add(new LegendLine(options.Caption, RgbColor.Amber, null));
        }

        var width = lines.Max(l => TextRenderer.Measure(l.Text, scale).Width + (l.Swatch is null ? 0 : swatchAdvance)) + 2 * pad;
        var height = lines.Count * lineHeight - (lineHeight - BitmapFont.GlyphHeight * scale) + 2 * pad;
        var margin = 2 * scale;
        (int X, int Y)[] corners =
        [
            (margin, margin),
            (image.Width - width - margin, margin),
            (margin, image.Height - height - margin),
            (image.Width - width - margin, image.Height - height - margin),
        ];
        var best = corners[0];
        var bestCovered = long.MaxValue;
        foreach (var corner in corners)
        {
            var covered = CoveredFindings(image, segments, k, corner.X, corner.Y, width, height);
            if (covered < bestCovered)
            {
                (best, bestCovered) = (corner, covered);
            }
        }

        var placed = new List<PlacedLine>();
        for (var n = 0; n < lines.Count; n++)
        {
            var y = best.Y + pad + n * lineHeight;
            var textX = best.X + pad + (lines[n].Swatch is null ? 0 : swatchAdvance);
            placed.Add(new PlacedLine(lines[n], textX, y, best.X + pad, swatch));
        }

        return new LegendLayout(best.X, best.Y, width, height, scale, placed);
    }

    private static void DrawLegend(RgbImage image, LegendLayout legend, double backingOpacity)
    {
        image.FillRectangle(legend.X, legend.Y, legend.Width, legend.Height, RgbColor.Black, backingOpacity);
        foreach (var line in legend.Lines)
        {
            if (line.Line.Swatch is { } color)
            {
                // A white rim keeps dark colours visible on the dark box.
                image.FillRectangle(line.SwatchX, line.Y, line.SwatchSize, line.SwatchSize, RgbColor.White);
                image.FillRectangle(line.SwatchX + legend.Scale, line.Y + legend.Scale, line.SwatchSize - 2 * legend.Scale, line.SwatchSize - 2 * legend.Scale, color);
            }

            TextRenderer.Draw(image, line.X, line.Y, line.Line.Text, line.Line.Color, legend.Scale);
        }
    }

    private static long CoveredFindings(RgbImage image, IReadOnlyList<OverlaySegment> segments, int k, int x, int y, int width, int height)
    {
        long covered = 0;
        var x0 = Math.Max(0, x);
        var y0 = Math.Max(0, y);
        var x1 = Math.Min(image.Width, x + width);
        var y1 = Math.Min(image.Height, y + height);
        foreach (var segment in segments)
        {
            var mask = segment.Mask.Slice(k);
            for (var yy = y0; yy < y1; yy++)
            {
                for (var xx = x0; xx < x1; xx++)
                {
                    covered += mask[yy * image.Width + xx] != 0 ? 1 : 0;
                }
            }
        }

        return covered;
    }

    private static string Shorten(string label) =>
        label.Length <= MaxLabelCharacters ? label : label[..(MaxLabelCharacters - 3)] + "...";

    private static string Number(double value) =>
        Math.Abs(value - Math.Round(value)) < 0.05
            ? Math.Round(value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("0.0", CultureInfo.InvariantCulture);

    internal sealed record LegendLine(string Text, RgbColor Color, RgbColor? Swatch);

    internal sealed record PlacedLine(LegendLine Line, int X, int Y, int SwatchX, int SwatchSize);

    internal sealed record LegendLayout(int X, int Y, int Width, int Height, int Scale, IReadOnlyList<PlacedLine> Lines);
}
