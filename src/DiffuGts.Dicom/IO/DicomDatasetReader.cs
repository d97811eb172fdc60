using System.IO.Compression;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Reads a bare dataset (no preamble, no file meta) in a given transfer syntax: a DIMSE command set (always Implicit VR
/// Little Endian, PS3.7 §6.3.1) or a dataset received in P-DATA-TF fragments.
/// </summary>
public static class DicomDatasetReader
{
    /// <summary>Parses the bytes; values of the returned dataset are slices of <paramref name="bytes"/> (no copy).</summary>
    public static DicomDataset Read(ReadOnlyMemory<byte> bytes, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        options ??= DicomReadOptions.Default;
        var dataset = new DicomDataset();
        var warnings = new List<string>();
        if (transferSyntax.IsDeflated)
        {
            using var compressed = new MemoryStream(bytes.ToArray(), writable: false);
            using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
            Parse(new StreamByteSource(inflated, 0, null), dataset, transferSyntax, options, warnings);
        }
        else
        {
            Parse(new MemoryByteSource(bytes, 0), dataset, transferSyntax, options, warnings);
        }

        return dataset;
    }

    /// <summary>Parses a stream to its end.</summary>
    public static DicomDataset Read(Stream stream, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        options ??= DicomReadOptions.Default;
        var dataset = new DicomDataset();
        var warnings = new List<string>();
        if (transferSyntax.IsDeflated)
        {
            using var inflated = new DeflateStream(stream, CompressionMode.Decompress, leaveOpen: true);
            Parse(new StreamByteSource(inflated, 0, null), dataset, transferSyntax, options, warnings);
        }
        else
        {
            long? length = stream.CanSeek ? stream.Length - stream.Position : null;
            Parse(new StreamByteSource(stream, 0, length), dataset, transferSyntax, options, warnings);
        }

        return dataset;
    }

    internal static bool Parse(ByteSource source, DicomDataset dataset, DicomTransferSyntax syntax, DicomReadOptions options, List<string> warnings,
        Func<DicomTag, bool>? stopBefore = null)
    {
        try
        {
            return new DicomParser(source, options, warnings).Parse(dataset, syntax.IsExplicitVR, syntax.IsBigEndian, stopBefore);
        }
        catch (InvalidDataException ex)
        {
            // DeflateStream reports corrupt compressed data this way.
            throw new DicomFormatException($"the deflated dataset is corrupt: {ex.Message}", source.Position, "", ex);
        }
    }
}
