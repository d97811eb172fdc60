using DiffuGts.Inference.Packages;
using DiffuGts.Node.Health;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Segmentation;

/// <summary>Loads the default model package at start; a broken package stops the node with the package's own message.</summary>
internal sealed class ModelWarmupService(SegmentationEngine engine, NodeStatus status, IOptionsMonitor<NodeSettings> settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = settings.CurrentValue.Inference.ModelDirectory;
        try
        {
            engine.Get(directory);
        }
        catch (ModelPackageException e)
        {
            status.ModelFailed(e.Message);
            throw new InvalidOperationException($"Inference:ModelDirectory '{directory}': {e.Message}", e);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
