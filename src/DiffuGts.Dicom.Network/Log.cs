using System.Net;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Dicom.Network;

/// <summary>Source-generated log messages of the network layer. Event IDs 1000-1999 (STYLE §9).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "DICOM listener on {EndPoint} as {AeTitle}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint, string aeTitle);

    [LoggerMessage(1001, LogLevel.Information, "Association {AssociationId} from {CallingAe}@{Remote} to {CalledAe} accepted, {Accepted}/{Proposed} contexts")]
    public static partial void Accepted(ILogger logger, long associationId, string callingAe, EndPoint? remote, string calledAe, int accepted, int proposed);

    [LoggerMessage(1002, LogLevel.Warning, "Association {AssociationId} from {CallingAe}@{Remote} rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, long associationId, string callingAe, EndPoint? remote, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Association {AssociationId} aborted by us ({Reason}): {Message}")]
    public static partial void AbortSent(ILogger logger, long associationId, AbortReason reason, string message);

    [LoggerMessage(1004, LogLevel.Information, "Association {AssociationId} aborted by peer (source {Source}, reason {Reason})")]
    public static partial void AbortReceived(ILogger logger, long associationId, AbortSource source, AbortReason reason);

    [LoggerMessage(1005, LogLevel.Information, "Association {AssociationId} released")]
    public static partial void Released(ILogger logger, long associationId);

    [LoggerMessage(1006, LogLevel.Information, "Association {AssociationId} closed: {Reason}")]
    public static partial void Closed(ILogger logger, long associationId, string reason);

    [LoggerMessage(1007, LogLevel.Debug, "Association {AssociationId} C-STORE {SopInstanceUid} ({Bytes} bytes) → {Status}")]
    public static partial void Stored(ILogger logger, long associationId, string? sopInstanceUid, long bytes, DimseStatus status);

    [LoggerMessage(1008, LogLevel.Error, "Association {AssociationId}: store handler failed for {SopInstanceUid}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, long associationId, string? sopInstanceUid);

    [LoggerMessage(1009, LogLevel.Warning, "Connection from {Remote} failed before association: {Message}")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? remote, string message);
}
