using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;

namespace DiffuGts.Node.Storage;

/// <summary>
/// Retention (issue 7 §7): a series whose jobs all ended (exported, or failed and reported) and which is older than
/// Storage:RetentionDays loses its instance files and results; an unrouted series is kept for the same period. Series
/// with a job still queued, running or waiting for delivery are never touched. Records stay for the audit trail.
/// </summary>
public sealed class RetentionCleaner(SpoolPaths paths, TimeProvider time)
{
    public sealed record Outcome(int SeriesRemoved, long BytesFreed);

    public Outcome Clean(IReadOnlyList<SeriesRecord> series, IReadOnlyList<JobRecord> jobs, int retentionDays)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(jobs);
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(retentionDays);
        var removed = 0;
        long bytes = 0;
        foreach (var s in series.Where(s => s.State == SeriesState.Released && s.LastReceived < cutoff))
        {
            var mine = jobs.Where(j => j.SeriesKey == s.Key).ToList();
            if (mine.Any(j => j.State is JobState.Queued or JobState.Running or JobState.ResultsReady) ||
                mine.Any(j => j.Updated >= cutoff))
            {
                continue;
            }

            var folder = paths.SeriesFolder(s.Attributes.StudyInstanceUid, s.Attributes.SeriesInstanceUid);
            bytes += Remove(folder);
            foreach (var job in mine)
            {
                bytes += Remove(Path.Combine(paths.Results, SpoolPaths.SafeSegment(job.Id)));
            }

            removed++;
        }

        return new Outcome(removed, bytes);
    }

    private static long Remove(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var size = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Directory.Delete(folder, recursive: true);
        return size;
    }
}
