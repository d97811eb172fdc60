using DiffuGts.Imaging.Operations;

namespace DiffuGts.Imaging.Overlays;

/// <summary>How an overlay slice is drawn.</summary>
public sealed record OverlayRenderOptions
{
    public static OverlayRenderOptions Default { get; } = new();

    /// <summary>The grey window; null lets the caller's default apply (see <see cref="OverlayRenderer.DefaultWindow"/>).</summary>
    public DisplayWindow? Window { get; init; }

    /// <summary>Opacity of the segment fill inside the outline, 0 (outline only) to 1.</summary>
    public double FillOpacity { get; init; } = 0.2;

    /// <summary>Outline thickness in pixels, 1 or 2, drawn on the inside of the mask boundary so it never hides tissue outside.</summary>
    public int OutlineWidth { get; init; } = 2;

    /// <summary>Font scale (pixels per font pixel); null picks one from the image size (2 for 512×512).</summary>
    public int? TextScale { get; init; }

    public bool ShowLegend { get; init; } = true;

    /// <summary>The warning line at the foot of the legend.</summary>
    public string Caption { get; init; } = "AI result - verify before clinical use";

    /// <summary>Opacity of the dark box behind the legend.</summary>
    public double LegendBackingOpacity { get; init; } = 0.75;

    internal void Validate()
    {
        if (FillOpacity is < 0 or > 1 || double.IsNaN(FillOpacity))
        {
            throw new ArgumentOutOfRangeException(nameof(FillOpacity), FillOpacity, "fill opacity must be within [0, 1]");
        }

        if (OutlineWidth is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(OutlineWidth), OutlineWidth, "outline width must be 1 or 2 pixels");
        }

        if (TextScale is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(TextScale), TextScale, "text scale must be 1 to 8");
        }

        if (LegendBackingOpacity is < 0 or > 1 || double.IsNaN(LegendBackingOpacity))
        {
            throw new ArgumentOutOfRangeException(nameof(LegendBackingOpacity), LegendBackingOpacity, "legend opacity must be within [0, 1]");
        }

        ArgumentNullException.ThrowIfNull(Caption);
    }
}
