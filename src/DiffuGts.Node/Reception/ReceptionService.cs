using System.Net;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Health;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Reception;

/// <summary>Runs the C-STORE/C-ECHO SCP with the node's access control, limits and disk-pressure signal.</summary>
internal sealed class ReceptionService(SpoolStoreHandler handler, DiskSpaceGuard disk, NodeStatus status, NodeMetrics metrics,
    IOptionsMonitor<NodeSettings> settings, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private DicomServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var node = settings.CurrentValue.Node;
        var options = ServerOptions(node, () => !disk.AcceptsAssociations(settings.CurrentValue.Storage));
        _server = new DicomServer(options, new MeteredStoreHandler(handler, metrics), loggers.CreateLogger<DicomServer>(), time);
        await _server.StartAsync(cancellationToken);
        var endPoint = _server.LocalEndPoint.ToString();
        status.ListenerStarted(endPoint);
        ReceptionLog.Listening(loggers.CreateLogger<ReceptionService>(), node.AeTitle, endPoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.ListenerStopped();
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Maps the Node section onto the SCP's options.</summary>
    internal static DicomServerOptions ServerOptions(NodeOptions node, Func<bool> diskPressure)
    {
        // Validation accepts single addresses only (NodeSettingsValidator), so every entry maps to one address here.
        var allowed = node.AllowedSourceAddresses.Select(IPAddress.Parse).ToList();

        return new DicomServerOptions
        {
            AeTitle = node.AeTitle,
            BindAddress = IPAddress.Parse(node.BindAddress),
            Port = node.Port,
            MaxPduLength = (uint)node.MaxPduLength,
            IdleTimeout = node.AssociationIdleTimeout,
            MaxDataSetBytes = node.MaxDatasetBytes,
            DiskPressure = diskPressure,
            Policy = new AssociationPolicyOptions
            {
                CalledAeTitles = [node.AeTitle],
                AcceptedCallingAeTitles = [.. node.AcceptedCallingAeTitles],
                AcceptedSourceAddresses = allowed,
                MaxAssociations = node.MaxAssociations,
            },
        };
    }
}
