namespace DiffuGts.Node.Segmentation;

/// <summary>
/// The files <see cref="ResultObjectWriter"/> wrote: the SEG (null when nothing was found and no empty SEG is wanted), the
/// Secondary Capture overlays and the PNG previews.
/// </summary>
public sealed record ResultFiles(string? Segmentation, IReadOnlyList<string> Overlays, IReadOnlyList<string> Previews)
{
    /// <summary>The DICOM objects, the SEG first: what goes back to PACS.</summary>
    public IReadOnlyList<string> Dicom => Segmentation is null ? Overlays : [Segmentation, .. Overlays];
}
