using System.Threading.Channels;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Node.Hosting;

/// <summary>
/// Rebuilds in-flight work from durable state before anything else starts (ADR 0002): partial receives are discarded
/// (never acknowledged), series records reloaded, unfinished jobs queued again, and a series released just before the
/// node died but not yet routed is routed now.
/// </summary>
internal sealed class RecoveryService(InstanceSpool spool, SeriesAssembler assembler, JobStore jobs, SeriesProcessor processor,
    Channel<JobRecord> queue, ILogger<RecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.DiscardedPartials(logger, spool.Paths.Root, spool.DiscardUnacknowledged());
        var series = await assembler.RecoverAsync(cancellationToken);
        var resume = await jobs.RecoverAsync(cancellationToken);
        foreach (var job in resume.Where(j => j.State == JobState.Queued))
        {
            await queue.Writer.WriteAsync(job, cancellationToken);
        }

        // Routing is idempotent per release (job IDs derive from it), so jobs written before the crash are found, not doubled.
        var queued = resume.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var released in assembler.ReleasedUnrouted())
        {
            await AssemblyService.RouteAsync(assembler, processor, queue, released, queued, cancellationToken);
        }

        Log.Recovered(logger, series, resume.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
