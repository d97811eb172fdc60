using System.Text.Json;
using DiffuGts.Node.Storage;

namespace DiffuGts.Node.Jobs;

/// <summary>
/// Durable job records (ADR 0002). Every state change replaces the record atomically. At start,
/// <see cref="RecoverAsync"/> returns the jobs to resume: a job that was Running when the node died is queued again
/// (its attempt count kept), and results that were ready go on to export.
/// </summary>
public sealed class JobStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly SpoolPaths _paths;
    private readonly bool _flushToDisk;

    public JobStore(SpoolPaths paths, bool flushToDisk)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
        _flushToDisk = flushToDisk;
    }

    public Task SaveAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return DurableFile.WriteAllBytesAsync(PathOf(job.Id), JsonSerializer.SerializeToUtf8Bytes(job, Json), _flushToDisk, cancellationToken);
    }

    public async Task<JobRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        return File.Exists(path) ? await LoadAsync(path, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>();
        if (Directory.Exists(_paths.Jobs))
        {
            foreach (var file in Directory.EnumerateFiles(_paths.Jobs, "*.json"))
            {
                jobs.Add(await LoadAsync(file, cancellationToken));
            }
        }

        return [.. jobs.OrderBy(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal)];
    }

    /// <summary>Jobs to resume after a restart, oldest first; Running ones are put back to Queued durably.</summary>
    public async Task<IReadOnlyList<JobRecord>> RecoverAsync(CancellationToken cancellationToken)
    {
        var resume = new List<JobRecord>();
        foreach (var job in await ListAsync(cancellationToken))
        {
            switch (job.State)
            {
                case JobState.Running:
                    var queued = job with { State = JobState.Queued };
                    await SaveAsync(queued, cancellationToken);
                    resume.Add(queued);
                    break;
                case JobState.Queued:
                case JobState.ResultsReady:
                    resume.Add(job);
                    break;
            }
        }

        return resume;
    }

    private string PathOf(string id) => Path.Combine(_paths.Jobs, SpoolPaths.SafeSegment(id) + ".json");

    private static async Task<JobRecord> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<JobRecord>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"job record {path} is empty");
    }
}
