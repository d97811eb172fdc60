using System.Threading.Channels;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;
using Microsoft.Extensions.Hosting;

namespace DiffuGts.Node.Hosting;

/// <summary>Releases quiet series once a second (on the injected clock) and queues the jobs routing makes of them.</summary>
internal sealed class AssemblyService(SeriesAssembler assembler, SeriesProcessor processor, Channel<JobRecord> queue, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var series in await assembler.ReleaseDueAsync(stoppingToken))
            {
                foreach (var job in await processor.RouteAsync(series, stoppingToken))
                {
                    await queue.Writer.WriteAsync(job, stoppingToken);
                }
            }
        }
    }
}
