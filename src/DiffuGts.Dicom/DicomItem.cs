namespace DiffuGts.Dicom;

/// <summary>
/// One entry of a dataset: a <see cref="DicomElement"/> holding a value, a <see cref="DicomSequence"/> of items, or the
/// <see cref="DicomFragmentSequence"/> of encapsulated Pixel Data (PS3.5 §7.1, §7.5, §A.4).
/// </summary>
public abstract class DicomItem
{
    private protected DicomItem(DicomTag tag, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    public override string ToString() => $"{Tag} {VR}";
}
