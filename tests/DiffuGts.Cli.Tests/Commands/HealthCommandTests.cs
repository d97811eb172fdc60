using System.Globalization;
using System.Text.Json;
using DiffuGts.Node.Health;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary><c>diffugts health</c> against a real node host in process: its DICOM listener, spool and health endpoint.</summary>
public sealed class HealthCommandTests
{
    [Fact]
    public async Task Health_RunningNodeAfterOneInstance_PrintsReportWithCountersAndExitsZero()
    {
        await using var node = await RunningNode.StartAsync();
        var file = SyntheticInstances.Write(node.Directory.Path, seed: 7);
        var (sent, _, sendError) = await CliRunner.RunAsync("send", "--host", "127.0.0.1", "--port", node.DicomPort, "--called-ae", "DIFFUGTS", file);
        Assert.True(sent == 0, sendError);

        var (code, output, error) = await CliRunner.RunAsync("health", "--url", node.Url);
        Assert.True(code == 0, error + output);
        Assert.StartsWith("Node health: Healthy", output, StringComparison.Ordinal);
        Assert.Contains($"up on 127.0.0.1:{node.DicomPort}", output, StringComparison.Ordinal);
        Assert.Contains("1 received, 1 stored, 0 refused", output, StringComparison.Ordinal);
        Assert.Contains("1 receiving", output, StringComparison.Ordinal);
        Assert.Contains("model       not loaded", output, StringComparison.Ordinal);
        Assert.Matches(@"storage .*: [0-9]+(\.[0-9])? (GiB|MiB) free of [0-9]+(\.[0-9])? (GiB|MiB)", output);
    }

    [Fact]
    public async Task Health_Json_PrintsTheEndpointsReport()
    {
        await using var node = await RunningNode.StartAsync();
        var (code, output, error) = await CliRunner.RunAsync("health", "--url", node.Url + "/health", "--json");
        Assert.True(code == 0, error);
        var report = JsonSerializer.Deserialize<HealthReport>(output, HealthReport.JsonOptions)!;
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(0, report.Counters!.InstancesReceived);
        Assert.Equal(node.Directory.Combine("spool"), report.SpoolRoot);
    }

    [Fact]
    public async Task Health_FailedJobInTheSpool_ExitsOneAndNamesSeriesStageAndReason()
    {
        await using var node = await RunningNode.StartAsync(async spool => await new JobStore(spool, false).SaveAsync(new JobRecord
        {
            Id = "0badc0ffee00",
            Series = new SeriesAttributes("1.2", "1.2.3.99", "CT", null, null, null, null, "SCANNER", "DIFFUGTS"),
            Route = new RouteDecision("ct-any", 1, "liver", null, ["PACS"]),
            State = JobState.Failed,
            FailedStage = "geometry",
            LastError = "missing slice between z=10.0 and z=15.0 mm",
        }, default));

        var (code, output, _) = await CliRunner.RunAsync("health", "--url", node.Url);
        Assert.Equal(1, code);
        Assert.StartsWith("Node health: Degraded", output, StringComparison.Ordinal);
        Assert.Contains("1 failed job(s)", output, StringComparison.Ordinal);
        Assert.Contains("0badc0ffee00 series 1.2.3.99 at geometry", output, StringComparison.Ordinal);
        Assert.Contains("missing slice", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NothingListening_ExitsTwoNamingTheAddress()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}";
        var (code, output, error) = await CliRunner.RunAsync("health", "--url", url);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains($"cannot reach the node at {url}/health", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NoUrl_AsksThePortOfTheNodesOwnConfiguration()
    {
        var configured = NodeSettings.Bind(new ConfigurationBuilder()
            .AddNodeSources(NodeConfiguration.FindContentRoot(), "Production").Build()).Health.HttpPort;
        var (code, _, error) = await CliRunner.RunAsync("health");
        if (code == 2)
        {
            Assert.Contains($"http://127.0.0.1:{configured.ToString(CultureInfo.InvariantCulture)}/health", error, StringComparison.Ordinal);
        }
        else
        {
            // A node of this checkout happens to run on this machine: then it answered on that port.
            Assert.InRange(code, 0, 1);
        }
    }

    /// <summary>The node host on free loopback ports with a temporary spool; its segmenter is never reached in these tests.</summary>
    private sealed class RunningNode : IAsyncDisposable
    {
        private readonly IHost _host;

        private RunningNode(IHost host, TempDirectory directory, int dicomPort, int healthPort)
        {
            _host = host;
            Directory = directory;
            DicomPort = dicomPort.ToString(CultureInfo.InvariantCulture);
            Url = $"http://127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}";
        }

        public TempDirectory Directory { get; }

        public string DicomPort { get; }

        public string Url { get; }

        public static async Task<RunningNode> StartAsync(Func<SpoolPaths, Task>? prepareSpool = null)
        {
            var directory = new TempDirectory();
            if (prepareSpool is not null)
            {
                await prepareSpool(new SpoolPaths(directory.Combine("spool")));
            }

            var (dicomPort, healthPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
            string[] args =
            [
                $"--Node:Port={dicomPort}", "--Node:BindAddress=127.0.0.1", $"--Health:HttpPort={healthPort}",
                $"--Storage:Root={directory.Combine("spool")}", "--Storage:ReservedBytes=0", "--Storage:LowDiskWatermarkPercent=0",
                $"--Logging:Folder={directory.Combine("logs")}",
            ];
            var host = NodeHost.Build(args, NodeConfiguration.FindContentRoot(), s => s.AddSingleton<ISeriesSegmenter, Unreached>());
            await host.StartAsync();
            var node = new RunningNode(host, directory, dicomPort, healthPort);
            await node.WaitForEndpointAsync();
            return node;
        }

        /// <summary>The endpoint is a background service: the host may return from StartAsync before it listens.</summary>
        private async Task WaitForEndpointAsync()
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var live = await http.GetAsync(new Uri(Url + "/health/live"));
                    if (live.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"the node's health endpoint {Url} did not answer within 60 s");
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            Directory.Dispose();
        }
    }

    private sealed class Unreached : ISeriesSegmenter
    {
        public Task<SeriesSegmentationResult> SegmentAsync(SeriesSegmentationRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no series is released in these tests");
    }
}
