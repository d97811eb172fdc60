using System.IO.Compression;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Reads a bare dataset (no preamble, no file meta) in a given transfer syntax: a DIMSE command set (always Implicit VR
/// Little Endian, PS3.7 §6.3.1) or a dataset received in P-DATA-TF fragments.
/// </summary>
public static class DicomDatasetReader
{
    /// <summary>Parses the bytes; values of the returned dataset are slices of <paramref name="bytes"/> (no copy unless deflated).</summary>
    public static DicomDataset Read(ReadOnlyMemory<byte> bytes, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        var dataset = new DicomDataset();
        Read(bytes, transferSyntax, new DatasetBuilder(dataset), options);
        if (!transferSyntax.IsExplicitVR)
        {
            AmbiguousVR.Resolve(dataset);
        }

        return dataset;
    }

    /// <summary>Parses a stream to its end.</summary>
    public static DicomDataset Read(Stream stream, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var dataset = new DicomDataset();
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        ParseMaybeDeflated(new StreamByteSource(stream, 0, length), new DatasetBuilder(dataset), transferSyntax, options ?? DicomReadOptions.Default, []);
        if (!transferSyntax.IsExplicitVR)
        {
            AmbiguousVR.Resolve(dataset);
        }

        return dataset;
    }

    /// <summary>
    /// Reads the bytes and reports each element, sequence, item and fragment sequence to <paramref name="observer"/> instead
    /// of building a dataset. Returns the warnings of lenient reading.
    /// </summary>
    public static IReadOnlyList<string> Read(ReadOnlyMemory<byte> bytes, DicomTransferSyntax transferSyntax, IDicomReaderObserver observer,
        DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        ArgumentNullException.ThrowIfNull(observer);
        var warnings = new List<string>();
        ParseMaybeDeflated(new MemoryByteSource(bytes, 0), observer, transferSyntax, options ?? DicomReadOptions.Default, warnings);
        return warnings;
    }

    internal static bool Parse(ByteSource source, DicomDataset dataset, DicomTransferSyntax syntax, DicomReadOptions options, List<string> warnings,
        Func<DicomTag, bool>? stopBefore = null)
    {
        var stopped = Parse(source, new DatasetBuilder(dataset), syntax, options, warnings, stopBefore);
        if (!syntax.IsExplicitVR)
        {
            AmbiguousVR.Resolve(dataset);
        }

        return stopped;
    }

    /// <summary>PS3.5 §A.5: everything is raw-deflated (for a bare dataset there is no file meta to skip).</summary>
    private static void ParseMaybeDeflated(ByteSource source, IDicomReaderObserver observer, DicomTransferSyntax syntax, DicomReadOptions options,
        List<string> warnings)
    {
        if (!syntax.IsDeflated)
        {
            Parse(source, observer, syntax, options, warnings);
            return;
        }

        using var inflated = new DeflateStream(source.OpenRemainder(), CompressionMode.Decompress);
        Parse(new StreamByteSource(inflated, 0, null), observer, syntax, options, warnings);
    }

    private static bool Parse(ByteSource source, IDicomReaderObserver observer, DicomTransferSyntax syntax, DicomReadOptions options,
        List<string> warnings, Func<DicomTag, bool>? stopBefore = null)
    {
        try
        {
            return new DicomParser(source, observer, options, warnings).Parse(syntax.IsExplicitVR, syntax.IsBigEndian, stopBefore);
        }
        catch (InvalidDataException ex)
        {
            // DeflateStream reports corrupt compressed data this way.
            throw new DicomFormatException($"the deflated dataset is corrupt: {ex.Message}", source.Position, "", ex);
        }
    }
}
