using DiffuGts.Node.Assembly;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node;

/// <summary>
/// The node's log messages. Event ID ranges (STYLE §9): 1000s network, 2000s reception and durable state, 3000s series
/// assembly and routing, 4000s inference, 5000s export, 6000s hosting and health. Messages carry UIDs and AE titles,
/// never patient names, IDs or birth dates.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Spool at {Root}: discarded {Count} unacknowledged partial file(s) from before the restart")]
    public static partial void DiscardedPartials(ILogger logger, string root, int count);

    [LoggerMessage(2002, LogLevel.Information, "Recovered {Series} series record(s) and {Jobs} unfinished job(s)")]
    public static partial void Recovered(ILogger logger, int series, int jobs);

    [LoggerMessage(3001, LogLevel.Information, "Series {SeriesKey} released with {Instances} instance(s) (release {Release})")]
    public static partial void SeriesReleased(ILogger logger, SeriesKey seriesKey, int instances, int release);

    [LoggerMessage(3002, LogLevel.Warning, "Series {SeriesKey} (modality {Modality}, from {CallingAe}) matched no routing rule; kept for the retention period")]
    public static partial void Unrouted(ILogger logger, SeriesKey seriesKey, string modality, string callingAe);

    [LoggerMessage(3003, LogLevel.Information, "Series {SeriesKey} routed by {Rule} to prompt set {PromptSet} as job {JobId}")]
    public static partial void Routed(ILogger logger, SeriesKey seriesKey, string rule, string promptSet, string jobId);

    [LoggerMessage(4001, LogLevel.Information, "Job {JobId} for series {SeriesInstanceUid} started (attempt {Attempt})")]
    public static partial void JobStarted(ILogger logger, string jobId, string seriesInstanceUid, int attempt);

    [LoggerMessage(4002, LogLevel.Information, "Job {JobId} wrote {Files} result file(s), {Lesions} lesion(s), in {Seconds:F1} s")]
    public static partial void JobResults(ILogger logger, string jobId, int files, int lesions, double seconds);

    [LoggerMessage(4003, LogLevel.Error, "Job {JobId} for series {SeriesInstanceUid} failed at stage {Stage}: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string seriesInstanceUid, string stage, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Job {JobId} found nothing and the node is configured to send nothing")]
    public static partial void NothingFound(ILogger logger, string jobId);

    [LoggerMessage(5001, LogLevel.Information, "Job {JobId} delivered to {Peer} after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, string jobId, string peer, int attempts);

    [LoggerMessage(5002, LogLevel.Warning, "Job {JobId} to {Peer}: attempt {Attempts} failed ({Reason}); next attempt at {Next:o}")]
    public static partial void DeliveryRetry(ILogger logger, string jobId, string peer, int attempts, string? reason, DateTimeOffset next);

    [LoggerMessage(5003, LogLevel.Error, "Job {JobId} to {Peer} parked as failed: {Reason}")]
    public static partial void DeliveryParked(ILogger logger, string jobId, string peer, string? reason);

    [LoggerMessage(6001, LogLevel.Information, "Health endpoint on {Prefix}")]
    public static partial void HealthEndpoint(ILogger logger, string prefix);

    [LoggerMessage(6002, LogLevel.Warning, "Health endpoint {Prefix} could not start ({Reason}); the node runs without it")]
    public static partial void HealthEndpointUnavailable(ILogger logger, string prefix, string reason);

    [LoggerMessage(6003, LogLevel.Warning, "Health request failed: {Reason}")]
    public static partial void HealthRequestFailed(ILogger logger, string reason);
}
