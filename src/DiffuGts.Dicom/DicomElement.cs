namespace DiffuGts.Dicom;

/// <summary>
/// A data element with a value (PS3.5 §7.1). The value is kept as the encoded bytes in little-endian byte order (a
/// big-endian file is swapped once on read), so large values such as native Pixel Data are slices of the source buffer,
/// never copied again. Typed access goes through <see cref="DicomDataset"/>, which knows the character set.
/// </summary>
public sealed class DicomElement : DicomItem
{
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> buffer)
        : base(tag, vr)
    {
        if (vr == DicomVR.SQ)
        {
            throw new ArgumentException("a sequence is a DicomSequence, not an element with a value", nameof(vr));
        }

        Buffer = buffer;
    }

    /// <summary>The value bytes, little-endian, as read (including any padding byte) or as set.</summary>
    public ReadOnlyMemory<byte> Buffer { get; }

    public int Length => Buffer.Length;

    public override string ToString() => $"{Tag} {VR} [{Length} bytes]";
}
