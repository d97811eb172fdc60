using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Health;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Tests.Options;
using DiffuGts.Node.Tests.Reception;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace DiffuGts.Node.Tests.Hosting;

/// <summary>
/// The whole node in process with the real listener, spool, assembler, routing, outbox and SCU; only the segmenter is a
/// test double (it copies one input instance as its "result"). DCMTK's storescu is the modality; a scripted SCP is PACS.
/// </summary>
public sealed class NodeHostTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    [PeerFact("storescu")]
    public async Task Node_SeriesFromStorescu_IsRoutedSegmentedAndDeliveredOnce()
    {
        using var dir = new TempDirectory();
        var pacs = new RecordingHandler();
        await using var pacsServer = new DicomServer(new DicomServerOptions
        {
            AeTitle = "ORTHANC", BindAddress = IPAddress.Loopback, Port = 0, Policy = new AssociationPolicyOptions { CalledAeTitles = ["ORTHANC"] },
        }, pacs);
        await pacsServer.StartAsync(default);

        var nodePort = LoopbackPorts.Free();
        var healthPort = LoopbackPorts.Free();
        string[] args =
        [
            $"--Node:Port={nodePort}", $"--Health:HttpPort={healthPort}", "--Node:BindAddress=127.0.0.1", $"--Storage:Root={dir.Combine("spool")}",
            "--Storage:SeriesIdleTimeout=00:00:01", "--Storage:FlushToDisk=true", $"--Peers:PACS:Port={pacsServer.LocalEndPoint.Port}",
            $"--Logging:Folder={dir.Combine("logs")}", "--Export:InitialDelay=00:00:01",
        ];
        var segmenter = new CopyingSegmenter();
        using var host = NodeHost.Build(args, NodeSettingsValidatorTests.FindRepositoryRoot(), s => s.AddSingleton<ISeriesSegmenter>(segmenter));
        await host.StartAsync();
        try
        {
            var input = Directory.CreateDirectory(dir.Combine("in")).FullName;
            for (var i = 1; i <= 3; i++)
            {
                var file = new DicomFile(SpoolStoreHandlerTests.Instance(CtImageStorage, $"1.2.3.{i}"));
                await using var stream = File.Create(Path.Combine(input, $"{i}.dcm"));
                file.Save(stream);
            }

            var send = ProcessRunner.Run(Peers.Require("storescu"), ["-aet", "SCANNER", "-aec", "DIFFUGTS", "127.0.0.1", nodePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Path.Combine(input, "1.dcm"), Path.Combine(input, "2.dcm"), Path.Combine(input, "3.dcm")], TimeSpan.FromSeconds(60));
            Assert.True(send.ExitCode == 0, send.StandardError);

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (pacs.Received.IsEmpty && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(["1.2.3.1"], pacs.Received.Keys);
            Assert.Equal(1, segmenter.Calls);
            Assert.Equal(3, segmenter.LastInstanceCount);

            // The health endpoint reports what just happened: counters, and a latency for every stage the series went through.
            using var http = new HttpClient();
            HealthReport? report = null;
            while (report?.Latencies.Any(l => l.Stage == "total") != true && DateTime.UtcNow < deadline)
            {
                report = await http.GetFromJsonAsync<HealthReport>($"http://127.0.0.1:{healthPort}/health", HealthReport.JsonOptions);
                await Task.Delay(100);
            }

            var counters = report!.Counters!;
            Assert.Equal((3L, 3L, 0L), (counters.InstancesReceived, counters.InstancesStored, counters.InstancesRefused));
            Assert.Equal((1L, 1L, 0L), (counters.SeriesReleased, counters.SeriesRouted, counters.SeriesUnrouted));
            Assert.Equal((1L, 0L, 0L), (counters.DeliveriesOk, counters.DeliveriesFailed, counters.DeliveriesParked));
            Assert.Equal(["release", "queue", "segment", "deliver", "total"], report.Latencies.Select(l => l.Stage));
            // The series is released once it has been quiet for the idle timeout (1 s), on the node's one-second tick.
            Assert.InRange(report.Latencies[0].LastSeconds, 1, 3);
            Assert.True(report.Latencies[^1].LastSeconds >= report.Latencies[0].LastSeconds);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class CopyingSegmenter : ISeriesSegmenter
    {
        public int Calls { get; private set; }

        public int LastInstanceCount { get; private set; }

        public Task<SeriesSegmentationResult> SegmentAsync(SeriesSegmentationRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            LastInstanceCount = request.InstanceFiles.Count;
            Directory.CreateDirectory(request.OutputDirectory);
            var result = Path.Combine(request.OutputDirectory, "result.dcm");
            File.Copy(request.InstanceFiles.Order(StringComparer.Ordinal).First(), result, overwrite: true);
            return Task.FromResult(new SeriesSegmentationResult([result], 1, new Dictionary<string, double>()));
        }
    }

    private sealed class RecordingHandler : IStoreHandler
    {
        public ConcurrentDictionary<string, int> Received { get; } = new();

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            Received.AddOrUpdate(request.SopInstanceUid, 1, (_, n) => n + 1);
            return new StoreResult(DimseStatus.Success);
        }
    }
}
