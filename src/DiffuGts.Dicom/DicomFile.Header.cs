using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;

namespace DiffuGts.Dicom;

public sealed partial class DicomFile
{
    /// <summary>
    /// Writes only the start of a Part 10 file — preamble, "DICM" and the file meta information — so that a dataset
    /// already encoded in <paramref name="syntax"/> (for example as it arrives in a C-STORE) can be appended byte for
    /// byte without being parsed or re-encoded.
    /// </summary>
    public static void WriteHeader(Stream stream, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax,
        DicomWriteOptions? options = null, string? sourceAeTitle = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sopClassUid);
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        ArgumentNullException.ThrowIfNull(syntax);
        var keep = new DicomDataset();
        if (!string.IsNullOrWhiteSpace(sourceAeTitle))
        {
            keep.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, sourceAeTitle.Trim());
        }

        var meta = BuildFileMetaInformation(sopClassUid, sopInstanceUid, syntax, options ?? DicomWriteOptions.Default, keep);
        stream.Write(new byte[PreambleLength]);
        stream.Write(Prefix);
        DicomDatasetWriter.Write(stream, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>PS3.10 §7.1 Table 7.1-1: version 00 01, SOP class and instance, transfer syntax, implementation.</summary>
    private static DicomDataset BuildFileMetaInformation(string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax,
        DicomWriteOptions options, DicomDataset keepFrom)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTags.FileMetaInformationGroupLength, 0u);
        meta.AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, sopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, sopInstanceUid);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, syntax.Uid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, options.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, options.ImplementationVersionName);
        foreach (var keep in new[] { DicomTags.SourceApplicationEntityTitle, DicomTags.SendingApplicationEntityTitle,
                     DicomTags.ReceivingApplicationEntityTitle, DicomTags.PrivateInformationCreatorUID, DicomTags.PrivateInformation })
        {
            if (keepFrom.TryGetItem(keep, out var item))
            {
                meta.AddOrUpdate(item);
            }
        }

        return meta;
    }
}
