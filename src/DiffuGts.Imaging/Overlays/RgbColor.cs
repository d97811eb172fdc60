namespace DiffuGts.Imaging.Overlays;

/// <summary>An 8-bit sRGB colour.</summary>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    public static RgbColor Black { get; } = new(0, 0, 0);

    public static RgbColor White { get; } = new(255, 255, 255);

    /// <summary>Amber, used for the "verify before clinical use" line.</summary>
    public static RgbColor Amber { get; } = new(255, 191, 0);

    /// <summary>
    /// Segment colours that stay distinct from each other and from grey anatomy at any window: saturated hues, ordered so
    /// the first few differ most (red, green, cyan, magenta, yellow, orange, blue, lime).
    /// </summary>
    private static readonly RgbColor[] Palette =
    [
        new(255, 48, 48), new(0, 230, 64), new(0, 200, 255), new(255, 64, 255),
        new(255, 230, 0), new(255, 140, 0), new(64, 112, 255), new(180, 255, 0),
    ];

    /// <summary>The default colour of the <paramref name="index"/>-th segment (zero-based; the palette repeats).</summary>
    public static RgbColor ForSegment(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Palette[index % Palette.Length];
    }

    /// <summary>(1 − α)·this + α·<paramref name="over"/>, per channel, rounded.</summary>
    public RgbColor Blend(RgbColor over, double alpha) => new(Mix(R, over.R, alpha), Mix(G, over.G, alpha), Mix(B, over.B, alpha));

    private static byte Mix(byte under, byte over, double alpha) => (byte)Math.Round(under + (over - under) * alpha);
}
