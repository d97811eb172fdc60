using DiffuGts.Node.Jobs;
using Microsoft.Extensions.Hosting;

namespace DiffuGts.Node.Hosting;

/// <summary>Attempts due deliveries every second on the injected clock; the outbox decides what is due.</summary>
internal sealed class ExportService(SeriesProcessor processor, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await processor.ExportDueAsync(stoppingToken);
        }
    }
}
