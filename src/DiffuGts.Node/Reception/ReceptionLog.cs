using DiffuGts.Node.Assembly;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node.Reception;

/// <summary>Reception log messages (2100–2199): UIDs and AE titles only.</summary>
internal static partial class ReceptionLog
{
    [LoggerMessage(2101, LogLevel.Debug, "Stored {SopInstanceUid} of series {SeriesInstanceUid} from {CallingAe} ({Arrival})")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string seriesInstanceUid, string callingAe, SeriesAssembler.Arrival arrival);

    [LoggerMessage(2102, LogLevel.Warning, "Refused {SopInstanceUid} from {CallingAe}: {Reason}")]
    public static partial void Refused(ILogger logger, string sopInstanceUid, string callingAe, string reason);

    [LoggerMessage(2103, LogLevel.Warning, "Could not parse {SopInstanceUid} from {CallingAe}: {Reason}")]
    public static partial void Unreadable(ILogger logger, string sopInstanceUid, string callingAe, string reason);

    [LoggerMessage(2104, LogLevel.Error, "Out of disk space: refused {SopInstanceUid} with {FreeBytes} bytes free")]
    public static partial void OutOfSpace(ILogger logger, string sopInstanceUid, long freeBytes);

    [LoggerMessage(2105, LogLevel.Error, "Writing {SopInstanceUid} to the spool failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string sopInstanceUid, string reason);

    [LoggerMessage(2106, LogLevel.Information, "DICOM listener for {AeTitle} on {EndPoint}")]
    public static partial void Listening(ILogger logger, string aeTitle, string endPoint);
}
