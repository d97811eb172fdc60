using System.Threading.Channels;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;
using Microsoft.Extensions.Hosting;

namespace DiffuGts.Node.Hosting;

/// <summary>
/// Releases quiet series once a second (on the injected clock) and queues the jobs routing makes of them. A series is
/// marked routed only after its jobs are written, so a crash in between leaves it for recovery to route again.
/// </summary>
internal sealed class AssemblyService(SeriesAssembler assembler, SeriesProcessor processor, Channel<JobRecord> queue, TimeProvider time)
    : BackgroundService
{
    private static readonly IReadOnlySet<string> NothingQueued = new HashSet<string>(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var series in await assembler.ReleaseDueAsync(stoppingToken))
            {
                await RouteAsync(assembler, processor, queue, series, NothingQueued, stoppingToken);
            }
        }
    }

    /// <summary>Routes a released series, queues its new jobs (not those in <paramref name="alreadyQueued"/>), marks it routed.</summary>
    internal static async Task RouteAsync(SeriesAssembler assembler, SeriesProcessor processor, Channel<JobRecord> queue, SeriesRecord series,
        IReadOnlySet<string> alreadyQueued, CancellationToken cancellationToken)
    {
        foreach (var job in await processor.RouteAsync(series, cancellationToken))
        {
            if (job.State == JobState.Queued && !alreadyQueued.Contains(job.Id))
            {
                await queue.Writer.WriteAsync(job, cancellationToken);
            }
        }

        await assembler.RoutedAsync(series.Key, series.ReleaseCount, cancellationToken);
    }
}
