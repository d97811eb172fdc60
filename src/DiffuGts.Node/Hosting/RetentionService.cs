using DiffuGts.Node.Assembly;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Hosting;

/// <summary>Applies Storage:RetentionDays once an hour on the injected clock.</summary>
internal sealed class RetentionService(SeriesAssembler assembler, JobStore jobs, SpoolPaths paths, IOptionsMonitor<NodeSettings> settings,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cleaner = new RetentionCleaner(paths, time);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            cleaner.Clean(assembler.Snapshot(), await jobs.ListAsync(stoppingToken), settings.CurrentValue.Storage.RetentionDays);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
