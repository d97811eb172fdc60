using System.Threading.Channels;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Export;
using DiffuGts.Node.Health;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Reception;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Hosting;

/// <summary>Registration of the node's services (the composition root calls <see cref="AddDiffuGtsNode"/>).</summary>
public static class NodeServices
{
    /// <summary>
    /// Binds and validates the configuration at start (a bad value stops the node with a message naming the key), and
    /// registers durable state, assembly, segmentation and export. The <see cref="ISeriesSegmenter"/> and
    /// <see cref="IResultSender"/> implementations are registered by the caller.
    /// </summary>
    public static IServiceCollection AddDiffuGtsNode(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NodeSettings>()
            .Configure(settings => Copy(NodeSettings.Bind(configuration), settings))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeSettings>, NodeSettingsValidator>();
        services.AddSingleton<IOptionsChangeTokenSource<NodeSettings>>(new ConfigurationChangeTokenSource<NodeSettings>(configuration));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SpoolPaths(ResolvePath(contentRoot, Settings(sp).Storage.Root)));
        services.AddSingleton(sp => new InstanceSpool(sp.GetRequiredService<SpoolPaths>(), Settings(sp).Storage.FlushToDisk));
        services.AddSingleton(sp => new SeriesAssembler(sp.GetRequiredService<SpoolPaths>(), Settings(sp).Storage, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new JobStore(sp.GetRequiredService<SpoolPaths>(), Settings(sp).Storage.FlushToDisk));
        services.AddSingleton(sp => new Outbox(sp.GetRequiredService<SpoolPaths>(), Settings(sp).Export, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IResultSender>(), Settings(sp).Storage.FlushToDisk));
        services.AddSingleton(sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<NodeSettings>>();
            return new SeriesProcessor(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<InstanceSpool>(), sp.GetRequiredService<Outbox>(),
                sp.GetRequiredService<ISeriesSegmenter>(), () => monitor.CurrentValue, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<NodeMetrics>(), sp.GetRequiredService<ILogger<SeriesProcessor>>());
        });
        services.TryAddSingleton<NodeStatus>();
        services.AddSingleton(sp => new NodeMetrics(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DiskSpaceGuard(sp.GetRequiredService<SpoolPaths>().Root));
        services.AddSingleton<Func<CancellationToken, Task<HealthReport>>>(sp => ct => HealthReporter.BuildAsync(Settings(sp),
            sp.GetRequiredService<SpoolPaths>(), sp.GetRequiredService<JobStore>(), sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<SeriesAssembler>().Snapshot(), sp.GetRequiredService<NodeStatus>(), sp.GetRequiredService<NodeMetrics>(),
            sp.GetRequiredService<DiskSpaceGuard>(), ct));
        services.AddSingleton(_ => Channel.CreateBounded<JobRecord>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait }));

        // Order matters: recovery runs to completion in StartAsync before the loops start.
        services.AddSingleton(sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<NodeSettings>>();
            return new SpoolStoreHandler(sp.GetRequiredService<InstanceSpool>(), sp.GetRequiredService<SeriesAssembler>(),
                sp.GetRequiredService<DiskSpaceGuard>(), () => monitor.CurrentValue, sp.GetRequiredService<ILogger<SpoolStoreHandler>>());
        });
        services.AddHostedService<RecoveryService>();
        services.AddHostedService<ReceptionService>();
        services.AddHostedService<AssemblyService>();
        services.AddHostedService<SegmentationService>();
        services.AddHostedService<ExportService>();
        services.AddHostedService<RetentionService>();
        services.AddHostedService<HealthEndpointService>();
        return services;
    }

    /// <summary>A configured path: absolute as given, or relative to the node's content root.</summary>
    public static string ResolvePath(string contentRoot, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(contentRoot, path));

    private static NodeSettings Settings(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<NodeSettings>>().CurrentValue;

    private static void Copy(NodeSettings from, NodeSettings to)
    {
        to.Node = from.Node;
        to.Storage = from.Storage;
        to.Routing = from.Routing;
        to.Inference = from.Inference;
        to.Export = from.Export;
        to.Health = from.Health;
        foreach (var (k, v) in from.Peers)
        {
            to.Peers[k] = v;
        }

        foreach (var (k, v) in from.Prompts)
        {
            to.Prompts[k] = v;
        }

        foreach (var e in from.BindingErrors)
        {
            to.BindingErrors.Add(e);
        }
    }
}
