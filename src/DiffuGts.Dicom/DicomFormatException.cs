namespace DiffuGts.Dicom;

/// <summary>
/// Malformed DICOM input (STYLE §9): names the byte offset where the problem was found and the path of the element
/// being read, e.g. <c>(0008,1115)[0]/(0008,1199)[2]/(0008,1155)</c>. Every parse failure is this one type; it derives
/// from <see cref="FormatException"/> (the BCL InvalidDataException is sealed).
/// </summary>
public sealed class DicomFormatException : FormatException
{
    public DicomFormatException()
        : this("malformed DICOM data", 0, "")
    {
    }

    public DicomFormatException(string message)
        : this(message, 0, "")
    {
    }

    public DicomFormatException(string message, Exception innerException)
        : this(message, 0, "", innerException)
    {
    }

    public DicomFormatException(string reason, long offset, string tagPath, Exception? innerException = null)
        : base(Compose(reason, offset, tagPath), innerException)
    {
        Reason = reason;
        Offset = offset;
        TagPath = tagPath;
    }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the file (or in the dataset buffer) where the faulty header or value starts.</summary>
    public long Offset { get; }

    /// <summary>Sequence/item/element path from the top-level dataset; empty before the first element.</summary>
    public string TagPath { get; }

    private static string Compose(string reason, long offset, string tagPath) =>
        tagPath.Length == 0 ? $"{reason} (at byte {offset})" : $"{reason} (at byte {offset}, element {tagPath})";
}
