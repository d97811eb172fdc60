using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>
/// One Part 10 file to send: its SOP class and instance, its transfer syntax, and where its data set starts (after the
/// preamble, "DICM" and group 0002, PS3.10 §7.1), so that a data set in an accepted syntax is streamed from disk as is.
/// </summary>
public sealed record StoreInstance(string Path, string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset)
{
    /// <summary>Reads the file meta information (the pixel data is not read).</summary>
    /// <exception cref="DicomFormatException">Not a Part 10 file or no SOP class / instance UID.</exception>
    public static StoreInstance FromFile(string path)
    {
        using var stream = File.OpenRead(path);
        var file = DicomFile.Open(stream, DicomReadOptions.Default with { StopBeforePixelData = true });
        var meta = file.FileMetaInformation;
        if (meta.Count == 0)
        {
            throw new DicomFormatException($"{path} has no Part 10 file meta information", 0, "");
        }

        var sopClass = meta.GetSingleStringOrDefault(DicomTags.MediaStorageSOPClassUID)
            ?? file.Dataset.GetSingleStringOrDefault(DicomTags.SOPClassUID)
            ?? throw new DicomFormatException($"{path} has no SOP Class UID", 0, "(0002,0002)");
        var sopInstance = meta.GetSingleStringOrDefault(DicomTags.MediaStorageSOPInstanceUID)
            ?? file.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)
            ?? throw new DicomFormatException($"{path} has no SOP Instance UID", 0, "(0002,0003)");
        // PS3.10 §7.1: (0002,0000) counts the bytes of group 0002 after itself; its own element is 12 bytes.
        var metaLength = meta.TryGetValue<uint>(DicomTags.FileMetaInformationGroupLength, out var groupLength) && groupLength > 0
            ? 12 + groupLength
            : DicomDatasetWriter.GetEncodedLength(meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        return new StoreInstance(path, sopClass, sopInstance, file.TransferSyntax.Uid, DicomFile.PreambleLength + 4 + metaLength);
    }

    /// <summary>The data set bytes in the file's own transfer syntax, streamed from disk.</summary>
    public Stream OpenDataSet()
    {
        var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Position = DataSetOffset;
        return stream;
    }

    /// <summary>The data set re-encoded in another native transfer syntax (read whole, written whole).</summary>
    public Stream OpenDataSet(string transferSyntaxUid)
    {
        if (transferSyntaxUid == TransferSyntaxUid)
        {
            return OpenDataSet();
        }

        using var stream = File.OpenRead(Path);
        var file = DicomFile.Open(stream);
        return new MemoryStream(DicomDatasetWriter.ToArray(file.Dataset, DicomTransferSyntax.Lookup(transferSyntaxUid)), writable: false);
    }
}
