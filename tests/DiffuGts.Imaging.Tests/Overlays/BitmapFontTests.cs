using DiffuGts.Imaging.Overlays;
using Xunit;

namespace DiffuGts.Imaging.Tests.Overlays;

public sealed class BitmapFontTests
{
    private static string Bitmap(char c) =>
        string.Concat(Enumerable.Range(0, BitmapFont.GlyphHeight * BitmapFont.GlyphWidth)
            .Select(n => BitmapFont.IsInk(c, n % BitmapFont.GlyphWidth, n / BitmapFont.GlyphWidth) ? '#' : '.'));

    [Fact]
    public void IsInk_PrintableAscii_EveryCharacterHasItsOwnGlyph()
    {
        var glyphs = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => Bitmap((char)c)).ToList();

        Assert.Equal(glyphs.Count, glyphs.Distinct().Count());
        Assert.DoesNotContain('#', glyphs[0]);
        Assert.All(glyphs.Skip(1), g => Assert.Contains('#', g));
    }

    [Fact]
    public void IsInk_NonAscii_DrawsTheReplacementGlyph()
    {
        Assert.Equal(Bitmap('?'), Bitmap('é'));
    }

    [Fact]
    public void IsInk_LetterL_HasAStemAndAFoot()
    {
        // Column 0 inked on rows 0–6, the foot (row 6) inked across, nothing on the descender row.
        Assert.All(Enumerable.Range(0, 7), y => Assert.True(BitmapFont.IsInk('L', 0, y)));
        Assert.All(Enumerable.Range(0, 5), x => Assert.True(BitmapFont.IsInk('L', x, 6)));
        Assert.False(BitmapFont.IsInk('L', 4, 0));
        Assert.All(Enumerable.Range(0, 5), x => Assert.False(BitmapFont.IsInk('L', x, 7)));
    }

    [Fact]
    public void Draw_ScaleTwo_EachFontPixelBecomesATwoByTwoBlock()
    {
        var image = new RgbImage(20, 20);
        TextRenderer.Draw(image, 1, 1, "L", RgbColor.White, 2);

        for (var y = 0; y < BitmapFont.GlyphHeight; y++)
        {
            for (var x = 0; x < BitmapFont.GlyphWidth; x++)
            {
                var expected = BitmapFont.IsInk('L', x, y) ? RgbColor.White : RgbColor.Black;
                Assert.Equal(expected, image[1 + 2 * x, 1 + 2 * y]);
                Assert.Equal(expected, image[2 + 2 * x, 2 + 2 * y]);
            }
        }
    }
}
