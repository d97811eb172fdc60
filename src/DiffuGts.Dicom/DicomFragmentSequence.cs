namespace DiffuGts.Dicom;

/// <summary>
/// Encapsulated Pixel Data (PS3.5 §A.4): an undefined-length OB element holding the Basic Offset Table item and then one
/// item per fragment. Fragments are slices of the source buffer.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, IEnumerable<uint> basicOffsetTable, IEnumerable<ReadOnlyMemory<byte>> fragments)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(basicOffsetTable);
        ArgumentNullException.ThrowIfNull(fragments);
        BasicOffsetTable = [.. basicOffsetTable];
        Fragments = [.. fragments];
    }

    /// <summary>
    /// Offsets of each frame's first fragment item, measured from the first byte of the first item after the table
    /// (PS3.5 §A.4, Table A.4-1). Empty when the writer left the table empty.
    /// </summary>
    public List<uint> BasicOffsetTable { get; }

    /// <summary>The fragments in order, item headers removed.</summary>
    public List<ReadOnlyMemory<byte>> Fragments { get; }

    public override string ToString() => $"{Tag} {VR} [{Fragments.Count} fragments]";
}
