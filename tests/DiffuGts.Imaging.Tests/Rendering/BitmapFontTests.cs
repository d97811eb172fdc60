using DiffuGts.Imaging.Rendering;
using Xunit;

namespace DiffuGts.Imaging.Tests.Rendering;

public sealed class BitmapFontTests
{
    [Fact]
    public void IsSet_EveryPrintableExceptSpace_HasPixelsAndGlyphsDiffer()
    {
        var shapes = new HashSet<string>();
        for (var c = '!'; c <= '~'; c++)
        {
            var bits = string.Concat(Enumerable.Range(0, 35).Select(n => BitmapFont.IsSet(c, n % 5, n / 5) ? '#' : '.'));
            Assert.Contains('#', bits);
            Assert.True(shapes.Add(bits), $"'{c}' duplicates another glyph");
        }

        Assert.DoesNotContain(Enumerable.Range(0, 35), n => BitmapFont.IsSet(' ', n % 5, n / 5));
    }

    [Fact]
    public void IsSet_LetterT_TopBarAndStem()
    {
        Assert.All(Enumerable.Range(0, 5), x => Assert.True(BitmapFont.IsSet('T', x, 0)));
        Assert.All(Enumerable.Range(1, 6), y => Assert.True(BitmapFont.IsSet('T', 2, y)));
        Assert.False(BitmapFont.IsSet('T', 0, 3));
    }

    [Fact]
    public void IsSet_NonAscii_RendersAsQuestionMark()
    {
        Assert.Equal(BitmapFont.IsSet('?', 1, 0), BitmapFont.IsSet('é', 1, 0));
        Assert.Equal(BitmapFont.IsSet('?', 2, 6), BitmapFont.IsSet('é', 2, 6));
    }
}
