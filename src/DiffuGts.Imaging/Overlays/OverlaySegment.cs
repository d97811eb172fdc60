using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>One segmentation result to draw: its prompt label, its colour and its mask (non-zero = inside) on the image grid.</summary>
public sealed record OverlaySegment
{
    public OverlaySegment(string label, RgbColor color, Volume<byte> mask)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(mask);
        Label = label;
        Color = color;
        Mask = mask;
    }

    /// <summary>The prompt label shown in the legend and the series description, e.g. "liver tumour".</summary>
    public string Label { get; }

    public RgbColor Color { get; }

    public Volume<byte> Mask { get; }
}
