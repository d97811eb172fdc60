namespace DiffuGts.Imaging.Overlays;

/// <summary>Draws one line of text with <see cref="BitmapFont"/>, each font pixel a <c>scale</c>×<c>scale</c> block.</summary>
internal static class TextRenderer
{
    /// <summary>Width and height in pixels of <paramref name="text"/> on one line (cell advance, no trailing gap).</summary>
    public static (int Width, int Height) Measure(string text, int scale) =>
        (text.Length == 0 ? 0 : (text.Length * BitmapFont.CellWidth - 1) * scale, BitmapFont.GlyphHeight * scale);

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y); pixels outside the image are clipped.</summary>
    public static void Draw(RgbImage image, int x, int y, string text, RgbColor color, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        for (var n = 0; n < text.Length; n++)
        {
            var left = x + n * BitmapFont.CellWidth * scale;
            for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
            {
                for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                {
                    if (BitmapFont.IsInk(text[n], gx, gy))
                    {
                        image.FillRectangle(left + gx * scale, y + gy * scale, scale, scale, color);
                    }
                }
            }
        }
    }
}
