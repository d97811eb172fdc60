namespace DiffuGts.Imaging.Overlays;

/// <summary>The model that produced the result, as burned into the legend and recorded in the SC's equipment attributes.</summary>
public sealed record OverlayModelInfo
{
    public OverlayModelInfo(string name, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Name = name;
        Version = version;
    }

    public string Name { get; }

    public string Version { get; }
}
