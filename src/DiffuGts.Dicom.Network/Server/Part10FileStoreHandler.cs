using System.Text.RegularExpressions;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Network.Dimse;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>
/// Writes each received instance as a Part 10 file (PS3.10 §7.1): preamble, "DICM", file meta information built from
/// the command and the negotiated transfer syntax, then the data set bytes copied from the network stream as they
/// arrive. The file is written under a temporary name and renamed when complete (optionally after fsync), so a
/// Success response always names a whole file. Used by tests, the bench and the CLI; the node has its own durable handler.
/// </summary>
public sealed partial class Part10FileStoreHandler : IStoreHandler
{
    private readonly string _directory;
    private readonly bool _flushToDisk;

    public Part10FileStoreHandler(string directory, bool flushToDisk = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        _directory = directory;
        _flushToDisk = flushToDisk;
    }

    public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataSet);
        if (!UidPattern().IsMatch(request.SopInstanceUid) || !UidPattern().IsMatch(request.SopClassUid))
        {
            return new StoreResult(DimseStatus.CannotUnderstand, "the command's SOP class or instance UID is not a valid UID");
        }

        var final = Path.Combine(_directory, request.SopInstanceUid + ".dcm");
        var temporary = final + $".{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                await file.WriteAsync(Header(request), cancellationToken);
                await dataSet.CopyToAsync(file, 1024 * 1024, cancellationToken);
                if (_flushToDisk)
                {
                    await Task.Run(() => file.Flush(flushToDisk: true), cancellationToken);
                }
            }

            File.Move(temporary, final, overwrite: true);
            return StoreResult.Success;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Preamble, prefix and group 0002 (always Explicit VR LE, with its group length computed by the writer).</summary>
    private static byte[] Header(StoreRequest request)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTags.FileMetaInformationGroupLength, 0u);
        meta.AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, request.SopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, request.SopInstanceUid);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, request.TransferSyntaxUid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomUids.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomUids.ImplementationVersionName);
        meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, request.Association.CallingAeTitle);
        using var memory = new MemoryStream();
        memory.Write(new byte[DicomFile.PreambleLength]);
        memory.Write("DICM"u8);
        DicomDatasetWriter.Write(memory, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        return memory.ToArray();
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)*$")]
    private static partial Regex UidPattern();
}
