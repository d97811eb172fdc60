using System.Globalization;
using DiffuGts.Node.Export;
using DiffuGts.Node.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

namespace DiffuGts.Node.Hosting;

/// <summary>
/// The node's composition root: configuration overlays, Serilog (console and rolling files, JSON on request), Windows
/// service and systemd lifetimes, the node's services. <c>diffugts node run</c> builds and runs it.
/// </summary>
public static class NodeHost
{
    /// <summary>
    /// Builds the host. <paramref name="addSegmenter"/> registers the <see cref="Jobs.ISeriesSegmenter"/> (the composition of
    /// imaging and inference), so tests can substitute their own.
    /// </summary>
    public static IHost Build(string[] args, string contentRoot, Action<IServiceCollection> addSegmenter)
    {
        ArgumentNullException.ThrowIfNull(addSegmenter);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = contentRoot,
            DisableDefaults = false,
        });
        builder.Configuration.AddNodeSources(contentRoot, builder.Environment.EnvironmentName, args);

        var logFolder = NodeServices.ResolvePath(contentRoot, builder.Configuration["Logging:Folder"] ?? "logs");
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        logger = json
            ? logger.WriteTo.Console(new CompactJsonFormatter()).WriteTo.File(new CompactJsonFormatter(), Path.Combine(logFolder, "diffugts-.json"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30)
            : logger.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture).WriteTo.File(Path.Combine(logFolder, "diffugts-.log"),
                formatProvider: CultureInfo.InvariantCulture, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30);
        builder.Services.AddSerilog(logger.CreateLogger(), dispose: true);

        builder.Services.AddWindowsService(o => o.ServiceName = "DiffuGtsNode");
        builder.Services.AddSystemd();
        builder.Services.AddSingleton<IResultSender>(sp =>
            new StoreScuSender(NodeSettings.Bind(builder.Configuration).Node.AeTitle));
        addSegmenter(builder.Services);
        builder.Services.AddDiffuGtsNode(builder.Configuration, contentRoot);
        return builder.Build();
    }
}
