using DiffuGts.Node.Health;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Segmentation;

/// <summary>Registers the real segmentation (model packages on ONNX Runtime, SEG writer) as the node's segmenter.</summary>
public static class SegmentationServices
{
    public static IServiceCollection AddDiffuGtsSegmentation(this IServiceCollection services, string contentRoot)
    {
        services.TryAddSingleton<NodeStatus>();
        services.AddSingleton(sp => new SegmentationEngine(sp.GetRequiredService<IOptionsMonitor<NodeSettings>>().CurrentValue.Inference, contentRoot,
            sp.GetRequiredService<NodeStatus>(), sp.GetRequiredService<ILogger<SegmentationEngine>>()));
        services.AddSingleton<ISeriesSegmenter>(sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<NodeSettings>>();
            return new DiffuGtsSegmenter(sp.GetRequiredService<SegmentationEngine>(), () => monitor.CurrentValue);
        });
        // Registered before the listener: the model is loaded (or the node stops) before any association is accepted.
        services.AddHostedService<ModelWarmupService>();
        return services;
    }
}
