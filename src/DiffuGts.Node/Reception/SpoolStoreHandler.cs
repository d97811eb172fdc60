using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node.Reception;

/// <summary>
/// The node's C-STORE handler (issue 7 §2). The data set is streamed into a partial file in the spool behind a Part 10
/// header, its header (not its pixels) is read back to find the study and series, the file is flushed and renamed into
/// place, the series assembler is told — and only then does the handler return Success, which the SCP turns into the
/// C-STORE-RSP. Anything that prevents this answers a failure status, so the sender keeps the instance.
/// </summary>
public sealed class SpoolStoreHandler : IStoreHandler
{
    private static readonly DicomReadOptions HeaderOnly = new() { StopBeforePixelData = true };

    private readonly InstanceSpool _spool;
    private readonly SeriesAssembler _assembler;
    private readonly DiskSpaceGuard _disk;
    private readonly Func<NodeSettings> _settings;
    private readonly ILogger _logger;

    public SpoolStoreHandler(InstanceSpool spool, SeriesAssembler assembler, DiskSpaceGuard disk, Func<NodeSettings> settings,
        ILogger<SpoolStoreHandler> logger)
    {
        _spool = spool;
        _assembler = assembler;
        _disk = disk;
        _settings = settings;
        _logger = logger;
    }

    public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataSet);
        var storage = _settings().Storage;
        var (free, _) = _disk.Read();
        if (!DiskSpaceGuard.AcceptsInstance(free, 0, storage))
        {
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            ReceptionLog.OutOfSpace(_logger, request.SopInstanceUid, free);
            return new StoreResult(DimseStatus.OutOfResources, "the node's storage is below its reserved free space");
        }

        await using var pending = _spool.Begin();
        var syntax = DicomTransferSyntax.Lookup(request.TransferSyntaxUid);
        DicomFile.WriteHeader(pending.Content, request.SopClassUid, request.SopInstanceUid, syntax, sourceAeTitle: request.Association.CallingAeTitle);
        await dataSet.CopyToAsync(pending.Content, cancellationToken);
        await pending.Content.FlushAsync(cancellationToken);

        DicomDataset header;
        try
        {
            pending.Content.Position = 0;
            header = DicomFile.Open(pending.Content, HeaderOnly).Dataset;
        }
        catch (DicomFormatException e)
        {
            ReceptionLog.Unreadable(_logger, request.SopInstanceUid, request.Association.CallingAeTitle, e.Message);
            return new StoreResult(DimseStatus.CannotUnderstand, Truncate($"data set cannot be parsed: {e.Message}"));
        }

        if (Check(request, header) is { } refusal)
        {
            ReceptionLog.Refused(_logger, request.SopInstanceUid, request.Association.CallingAeTitle, refusal.ErrorComment ?? "");
            return refusal;
        }

        var attributes = new SeriesAttributes(
            header.GetString(DicomTags.StudyInstanceUID).Trim(),
            header.GetString(DicomTags.SeriesInstanceUID).Trim(),
            header.GetSingleStringOrDefault(DicomTags.Modality)?.Trim() ?? "",
            header.GetSingleStringOrDefault(DicomTags.BodyPartExamined)?.Trim(),
            header.GetSingleStringOrDefault(DicomTags.StudyDescription)?.Trim(),
            header.GetSingleStringOrDefault(DicomTags.SeriesDescription)?.Trim(),
            header.GetSingleStringOrDefault(DicomTags.Manufacturer)?.Trim(),
            request.Association.CallingAeTitle.Trim(),
            request.Association.CalledAeTitle.Trim());
        try
        {
            await pending.CommitAsync(attributes.StudyInstanceUid, attributes.SeriesInstanceUid, request.SopInstanceUid, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return new StoreResult(DimseStatus.CannotUnderstand, Truncate(e.Message));
        }
        catch (IOException e)
        {
            ReceptionLog.WriteFailed(_logger, request.SopInstanceUid, e.Message);
            return new StoreResult(DimseStatus.OutOfResources, Truncate($"the instance could not be stored: {e.Message}"));
        }

        var arrival = await _assembler.InstanceStoredAsync(attributes, cancellationToken);
        ReceptionLog.Stored(_logger, request.SopInstanceUid, attributes.SeriesInstanceUid, request.Association.CallingAeTitle, arrival);
        return new StoreResult(DimseStatus.Success);
    }

    /// <summary>PS3.4 B.2.3: the data set must be the instance the command announced, of the class it announced.</summary>
    private static StoreResult? Check(StoreRequest request, DicomDataset header)
    {
        var sopClass = header.GetSingleStringOrDefault(DicomTags.SOPClassUID)?.Trim();
        if (sopClass is not null && sopClass != request.SopClassUid)
        {
            return new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass,
                Truncate($"SOP Class UID {sopClass} in the data set differs from the command's {request.SopClassUid}"));
        }

        var sopInstance = header.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)?.Trim();
        if (sopInstance is not null && sopInstance != request.SopInstanceUid)
        {
            return new StoreResult(DimseStatus.CannotUnderstand,
                Truncate($"SOP Instance UID {sopInstance} in the data set differs from the command's {request.SopInstanceUid}"));
        }

        foreach (var (required, name) in new[] { (DicomTags.StudyInstanceUID, "Study Instance UID"), (DicomTags.SeriesInstanceUID, "Series Instance UID") })
        {
            if (string.IsNullOrWhiteSpace(header.GetSingleStringOrDefault(required)))
            {
                return new StoreResult(DimseStatus.CannotUnderstand, $"{name} is missing; the instance cannot be filed");
            }
        }

        return null;
    }

    /// <summary>Error Comment (0000,0902) is LO: at most 64 characters.</summary>
    private static string Truncate(string text) => text.Length <= 64 ? text : text[..61] + "...";
}
