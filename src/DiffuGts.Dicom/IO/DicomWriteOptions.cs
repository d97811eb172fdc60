namespace DiffuGts.Dicom.IO;

/// <summary>How a dataset or a Part 10 file is written.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>
    /// The transfer syntax to write; null keeps the file's own. Only the native syntaxes can be transcoded to each other;
    /// encapsulated Pixel Data needs a codec.
    /// </summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    /// <summary>Implementation Class UID written to (0002,0012).</summary>
    public string ImplementationClassUid { get; init; } = DicomUids.ImplementationClassUid;

    /// <summary>Implementation Version Name written to (0002,0013).</summary>
    public string ImplementationVersionName { get; init; } = DicomUids.ImplementationVersionName;

    /// <summary>Compression level for Deflated Explicit VR Little Endian.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;

    public static DicomWriteOptions Default { get; } = new();
}
