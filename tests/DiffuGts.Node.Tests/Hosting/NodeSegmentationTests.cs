using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Segmentation;
using DiffuGts.Node.Tests.Options;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Node.Tests.Hosting;

/// <summary>
/// The node with its real segmentation: a phantom CT series from DCMTK's storescu is assembled, routed, segmented by
/// the tiny random-weight package on ONNX Runtime (CPU) and a DICOM SEG referencing the series reaches PACS. The tiny
/// model finds nothing meaningful, so the "nothing found" SEG is configured on: what is checked is the node's
/// plumbing and the SEG's identity, not the model's accuracy.
/// </summary>
public sealed class NodeSegmentationTests
{
    [PeerFact("storescu")]
    public async Task Node_PhantomSeries_ArrivesAtPacsAsSegReferencingTheSeries()
    {
        using var dir = new TempDirectory();
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 5, SizeX = 48, SizeY = 48, SizeZ = 24, Spacing = new Vector3D(4, 4, 4) });
        var series = dir.Combine("series");
        PhantomWriter.Write(phantom, series, PhantomOutputFormat.Dicom);
        var dicom = Path.Combine(series, "dicom");
        var files = Directory.GetFiles(dicom, "*", SearchOption.AllDirectories);
        var sourceSeriesUid = DicomFile.Open(File.ReadAllBytes(files[0])).Dataset.GetString(DicomTags.SeriesInstanceUID);

        var pacs = new RecordingHandler();
        await using var pacsServer = new DicomServer(new DicomServerOptions
        {
            AeTitle = "ORTHANC", BindAddress = IPAddress.Loopback, Port = 0, Policy = new AssociationPolicyOptions { CalledAeTitles = ["ORTHANC"] },
        }, pacs);
        await pacsServer.StartAsync(default);

        var nodePort = LoopbackPorts.Free();
        var root = NodeSettingsValidatorTests.FindRepositoryRoot();
        string[] args =
        [
            $"--Node:Port={nodePort}", "--Node:BindAddress=127.0.0.1", $"--Storage:Root={dir.Combine("spool")}",
            "--Storage:SeriesIdleTimeout=00:00:02", $"--Peers:PACS:Port={pacsServer.LocalEndPoint.Port}",
            $"--Logging:Folder={dir.Combine("logs")}", "--Inference:ModelDirectory=deploy/models/tiny/reference-tiny",
            "--Inference:ExecutionProviders:0=cpu", "--Inference:SendNoFindingResult=true",
        ];
        using var host = NodeHost.Build(args, root, s => s.AddDiffuGtsSegmentation(root));
        await host.StartAsync();
        try
        {
            var send = ProcessRunner.Run(Peers.Require("storescu"),
                ["-aet", "SCANNER", "-aec", "DIFFUGTS", "+sd", "127.0.0.1", nodePort.ToString(CultureInfo.InvariantCulture), dicom],
                TimeSpan.FromMinutes(2));
            Assert.True(send.ExitCode == 0, send.StandardError);

            var deadline = DateTime.UtcNow.AddMinutes(4);
            const string SegStorage = "1.2.840.10008.5.1.4.1.1.66.4";
            while (!pacs.Datasets.Values.Any(d => d.SopClass == SegStorage) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            await Task.Delay(500); // overlays of the same job travel in the same association
            var seg = Assert.Single(pacs.Datasets.Values, d => d.SopClass == SegStorage);
            Assert.Contains(sourceSeriesUid, seg.Text, StringComparison.Ordinal);
            // Anything else delivered is a secondary-capture overlay of the same study.
            Assert.All(pacs.Datasets.Values.Where(d => d.SopClass != SegStorage), d => Assert.Equal("1.2.840.10008.5.1.4.1.1.7", d.SopClass));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class RecordingHandler : IStoreHandler
    {
        public ConcurrentDictionary<string, (string SopClass, string Text)> Datasets { get; } = new();

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            using var memory = new MemoryStream();
            await dataSet.CopyToAsync(memory, cancellationToken);
            // The referenced series UID appears as ASCII inside the SEG's Referenced Series Sequence.
            Datasets[request.SopInstanceUid] = (request.SopClassUid, System.Text.Encoding.ASCII.GetString(memory.ToArray()));
            return new StoreResult(DimseStatus.Success);
        }
    }
}
