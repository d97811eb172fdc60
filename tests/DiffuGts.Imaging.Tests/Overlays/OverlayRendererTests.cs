using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Overlays;

public sealed class OverlayRendererTests
{
    private static readonly OverlayModelInfo Model = new("DiffuGTS", "1.2.0");

    private static readonly OverlayRenderOptions Plain = new() { Window = DisplayWindow.CtSoftTissue, FillOpacity = 0, OutlineWidth = 1, ShowLegend = false };

    /// <summary>Independent of the renderer: inside the mask with a 4-neighbour outside it or off the image.</summary>
    private static bool OnBoundary(Volume<byte> mask, int i, int j, int k)
    {
        var g = mask.Geometry;
        if (mask[i, j, k] == 0)
        {
            return false;
        }

        return i == 0 || j == 0 || i == g.SizeX - 1 || j == g.SizeY - 1 ||
            mask[i - 1, j, k] == 0 || mask[i + 1, j, k] == 0 || mask[i, j - 1, k] == 0 || mask[i, j + 1, k] == 0;
    }

    [Fact]
    public void Render_OutlineWidthOne_SegmentColourExactlyOnTheMaskBoundary()
    {
        var g = OverlayTestData.Grid();
        var mask = OverlayTestData.AddBall(new Volume<byte>(g), 60, 70, 4, 12.5);
        OverlayTestData.AddBall(mask, 127, 20, 4, 6); // touches the right image edge
        var segment = OverlayTestData.Segment("liver tumour", mask);

        var image = OverlayRenderer.Render(OverlayTestData.Body(g), 4, [segment], Model, Plain);

        var outlined = 0;
        for (var j = 0; j < g.SizeY; j++)
        {
            for (var i = 0; i < g.SizeX; i++)
            {
                var boundary = OnBoundary(mask, i, j, 4);
                Assert.True(boundary == (image[i, j] == segment.Color), $"pixel ({i}, {j}): boundary {boundary}, colour {image[i, j]}");
                outlined += boundary ? 1 : 0;
            }
        }

        Assert.True(outlined > 80, $"only {outlined} outline pixels");
    }

    [Fact]
    public void Render_OutlineWidthTwo_AddsTheInnerRingOnly()
    {
        var g = OverlayTestData.Grid();
        var mask = OverlayTestData.AddBall(new Volume<byte>(g), 60, 60, 4, 10);
        var segment = OverlayTestData.Segment("lesion", mask);

        var thin = OverlayRenderer.Render(OverlayTestData.Body(g), 4, [segment], Model, Plain);
        var thick = OverlayRenderer.Render(OverlayTestData.Body(g), 4, [segment], Model, Plain with { OutlineWidth = 2 });

        var thinCount = 0;
        var thickCount = 0;
        for (var j = 0; j < g.SizeY; j++)
        {
            for (var i = 0; i < g.SizeX; i++)
            {
                var inThick = thick[i, j] == segment.Color;
                Assert.False(inThick && mask[i, j, 4] == 0, $"outline outside the mask at ({i}, {j})");
                Assert.False(thin[i, j] == segment.Color && !inThick, $"thin outline pixel ({i}, {j}) missing from the thick one");
                thinCount += thin[i, j] == segment.Color ? 1 : 0;
                thickCount += inThick ? 1 : 0;
            }
        }

        Assert.InRange(thickCount, (int)(1.6 * thinCount), 2 * thinCount + 8);
    }

    [Fact]
    public void Render_Fill_BlendsTheColourInsideTheOutlineAndNowhereElse()
    {
        var g = OverlayTestData.Grid();
        var mask = OverlayTestData.AddBall(new Volume<byte>(g), 60, 60, 4, 10);
        var segment = OverlayTestData.Segment("lesion", mask);
        var body = OverlayTestData.Body(g);

        var plain = OverlayRenderer.Render(body, 4, [segment], Model, Plain);
        var filled = OverlayRenderer.Render(body, 4, [segment], Model, Plain with { FillOpacity = 0.5 });

        for (var j = 0; j < g.SizeY; j++)
        {
            for (var i = 0; i < g.SizeX; i++)
            {
                var expected = mask[i, j, 4] != 0 && plain[i, j] != segment.Color ? plain[i, j].Blend(segment.Color, 0.5) : plain[i, j];
                Assert.Equal(expected, filled[i, j]);
            }
        }
    }

    [Theory]
    [InlineData(-1000f, 0)]
    [InlineData(-160f, 0)]
    [InlineData(40f, 128)]
    [InlineData(140f, 192)]
    [InlineData(240f, 255)]
    [InlineData(3000f, 255)]
    public void Render_CtAbdomenWindow_MapsHuToGrey(float hu, byte grey)
    {
        var g = OverlayTestData.Grid(16, 16, 1);
        var volume = new Volume<float>(g);
        Array.Fill(volume.Data, hu);

        var window = OverlayRenderer.DefaultWindow("CT", volume);
        var image = OverlayRenderer.Render(volume, 0, [], Model, Plain with { Window = window });

        Assert.Equal((400.0, 40.0), (window.Width, window.Center));
        Assert.Equal(new RgbColor(grey, grey, grey), image[8, 8]);
    }

    [Fact]
    public void Render_RowsAndColumns_PixelXYIsVoxelIJOfSliceK()
    {
        var g = OverlayTestData.Grid(8, 6, 3);
        var volume = new Volume<float>(g);
        Array.Fill(volume.Data, -1000f);
        volume[7, 0, 1] = 1000; // last column, first row, middle slice

        var image = OverlayRenderer.Render(volume, 1, [], Model, Plain);

        Assert.Equal(RgbColor.White, image[7, 0]);
        Assert.Equal(RgbColor.Black, image[0, 5]);
        Assert.Equal((8, 6), (image.Width, image.Height));
    }

    [Fact]
    public void Render_Legend_DrawsLabelsModelAndCaptionInTheLegendBox()
    {
        var g = OverlayTestData.Grid(256, 256, 3);
        var liver = OverlayTestData.Segment("liver tumour", OverlayTestData.AddBall(new Volume<byte>(g), 120, 130, 1, 20));
        var kidney = OverlayTestData.Segment("kidney tumour", OverlayTestData.AddBall(new Volume<byte>(g), 170, 150, 1, 8), 1);
        var options = Plain with { ShowLegend = true };

        var (image, legend) = OverlayRenderer.RenderWithLayout(OverlayTestData.Body(g), 1, [liver, kidney], Model, options);

        Assert.NotNull(legend);
        Assert.Equal(
            ["liver tumour", "kidney tumour", "Model: DiffuGTS 1.2.0", "W 400 / L 40", "AI result - verify before clinical use"],
            legend.Lines.Select(l => l.Line.Text));
        foreach (var line in legend.Lines)
        {
            // Every ink pixel of the line's text, as the font draws it alone, is in the image in the line's colour.
            var reference = new RgbImage(image.Width, image.Height);
            TextRenderer.Draw(reference, line.X, line.Y, line.Line.Text, RgbColor.White, legend.Scale);
            var (width, height) = TextRenderer.Measure(line.Line.Text, legend.Scale);
            Assert.True(line.X >= legend.X && line.X + width <= legend.X + legend.Width, $"'{line.Line.Text}' overflows the box");
            for (var y = line.Y; y < line.Y + height; y++)
            {
                for (var x = line.X; x < line.X + width; x++)
                {
                    if (reference[x, y] == RgbColor.White)
                    {
                        Assert.Equal(line.Line.Color, image[x, y]);
                    }
                    else
                    {
                        Assert.NotEqual(line.Line.Color, image[x, y]);
                    }
                }
            }
        }

        var swatch = legend.Lines[1];
        Assert.Equal(kidney.Color, image[swatch.SwatchX + swatch.SwatchSize / 2, swatch.Y + swatch.SwatchSize / 2]);
    }

    [Fact]
    public void Render_SegmentAbsentFromSlice_LegendDimsItsLabel()
    {
        var g = OverlayTestData.Grid(256, 256, 9);
        var liver = OverlayTestData.Segment("liver tumour", OverlayTestData.AddBall(new Volume<byte>(g), 120, 130, 1, 3));
        var kidney = OverlayTestData.Segment("kidney tumour", OverlayTestData.AddBall(new Volume<byte>(g), 170, 150, 7, 3), 1);

        var (_, legend) = OverlayRenderer.RenderWithLayout(OverlayTestData.Body(g), 1, [liver, kidney], Model, Plain with { ShowLegend = true });

        Assert.NotNull(legend);
        Assert.Equal(("liver tumour", RgbColor.White), (legend.Lines[0].Line.Text, legend.Lines[0].Line.Color));
        Assert.Equal("kidney tumour (other slices)", legend.Lines[1].Line.Text);
        Assert.NotEqual(RgbColor.White, legend.Lines[1].Line.Color);
    }

    [Fact]
    public void Render_LesionInTopLeftCorner_LegendMovesToAFreeCorner()
    {
        var g = OverlayTestData.Grid(256, 256, 1);
        var mask = OverlayTestData.AddBall(new Volume<byte>(g), 20, 20, 0, 15);
        var segment = OverlayTestData.Segment("lesion", mask);

        var (_, legend) = OverlayRenderer.RenderWithLayout(OverlayTestData.Body(g), 0, [segment], Model, Plain with { ShowLegend = true });

        Assert.NotNull(legend);
        Assert.True(legend.X > 128 || legend.Y > 128, $"legend at ({legend.X}, {legend.Y}) covers the lesion");
    }

    [Fact]
    public void Render_MaskOnAnotherGrid_ThrowsArgumentException()
    {
        var g = OverlayTestData.Grid(32, 32, 2);
        var segment = OverlayTestData.Segment("lesion", new Volume<byte>(OverlayTestData.Grid(32, 31, 2)));

        var error = Assert.Throws<ArgumentException>(() => OverlayRenderer.Render(new Volume<float>(g), 0, [segment], Model));
        Assert.Contains("lesion", error.Message, StringComparison.Ordinal);
    }
}
