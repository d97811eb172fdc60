namespace DiffuGts.Dicom;

/// <summary>A sequence of items (VR SQ; PS3.5 §7.5). Each item is a nested dataset.</summary>
public sealed class DicomSequence : DicomItem
{
    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items)
        : base(tag, DicomVR.SQ)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = [.. items];
    }

    public List<DicomDataset> Items { get; }

    public override string ToString() => $"{Tag} SQ [{Items.Count} items]";
}
