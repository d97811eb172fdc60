using System.Threading.Channels;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Hosting;

/// <summary>Runs queued jobs, Inference:MaxConcurrentJobs at a time (1 by default: one GPU holds one job).</summary>
internal sealed class SegmentationService(SeriesProcessor processor, Channel<JobRecord> queue, IOptionsMonitor<NodeSettings> settings)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Math.Max(1, settings.CurrentValue.Inference.MaxConcurrentJobs);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            await processor.RunAsync(job, stoppingToken);
        }
    }
}
