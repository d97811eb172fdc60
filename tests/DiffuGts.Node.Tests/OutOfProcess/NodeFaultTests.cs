using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DiffuGts.Node.Health;
using DiffuGts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// The node process under faults (issue 7, ADR 0002): kill -9 while receiving, segmenting or exporting, PACS down during
/// export, and a series with broken geometry next to a good one. The tiny model package keeps a job to seconds; each
/// phase is found from the node's own log lines or, for the kill while receiving, from its DIMSE responses counted on
/// the wire (<see cref="ResponseGate"/>), never from sleeps.
/// </summary>
[Collection(NodeProcessSequence.Name)]
public sealed class NodeFaultTests(ITestOutputHelper output)
{
    /// <summary>One rule, one prompt: CT goes to the liver prompt set and PACS (the peer is set by <see cref="NodeProcess"/>).</summary>
    private const string LiverRouting = """
        { "Routing": { "Mode": "FirstMatch", "Default": "Ignore",
          "Rules": [ { "Name": "ct-liver", "Modality": [ "CT" ], "PromptSet": "liver", "Destinations": [ "PACS" ] } ] } }
        """;

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Settings = ["Inference:SendNoFindingResult=true", "Storage:SeriesIdleTimeout=00:00:06"];

    /// <summary>
    /// Twelve more prompts in the liver set, for the kill during segmentation: one tiny-package prompt takes well under a
    /// second, so a one-prompt job could finish before the kill triggered by its "started" log line lands.
    /// </summary>
    private static readonly string[] SlowJobSettings =
    [
        .. Settings,
        .. Enumerable.Range(1, 12).Select(n => n.ToString(CultureInfo.InvariantCulture)).SelectMany(n => new[]
        {
            $"Prompts:liver:{n}:Label=Liver lesion {n}",
            $"Prompts:liver:{n}:Text=liver lesion number {n}",
            $"Prompts:liver:{n}:Color=#FF8000",
            $"Prompts:liver:{n}:Anatomy:Scheme=SCT",
            $"Prompts:liver:{n}:Anatomy:Value=10200004",
            $"Prompts:liver:{n}:Anatomy:Meaning=Liver",
        }),
    ];

    [PeerTheory("storescu", OrthancProcess.Binary)]
    [InlineData("receive")]
    [InlineData("routing")]
    [InlineData("segmentation")]
    [InlineData("export")]
    public async Task NodeProcess_KilledDuringPhase_KeepsEveryAcknowledgedInstanceAndDeliversOneSeg(string phase)
    {
        using var dir = new TempDirectory();
        var study = PhantomStudy.Write(dir.Combine("study"), seed: 11);
        await using var orthanc = await OrthancProcess.StartAsync();
        await using var node = new NodeProcess(ModelPackages.Tiny, orthanc.DicomPort, LiverRouting, phase == "segmentation" ? SlowJobSettings : Settings);
        await node.StartAsync();
        using var log = node.CopyLogTo(output);

        IReadOnlyList<string> acknowledged;
        switch (phase)
        {
            case "receive":
                // The gate kills the node right after its third of the Success responses and passes on nothing more.
                await using (var gate = ResponseGate.Start(node.DicomPort, study.Files.Count / 3, node.KillAsync))
                using (var modality = StorescuModality.Start(gate.Port, study.Files))
                {
                    await gate.Fired.WaitAsync(TimeSpan.FromMinutes(1));
                    await modality.WaitAsync(TimeSpan.FromMinutes(1));
                    acknowledged = modality.Acknowledged;
                }

                Assert.Equal(study.Files.Count / 3, acknowledged.Count);
                break;
            case "routing":
            case "segmentation":
                // "released": the series record says Released and routing is writing the job; "started": the model runs.
                var cue = phase == "routing" ? " released with " : " started (attempt 1)";
                var killed = node.KillOnLine(l => l.Contains(cue, StringComparison.Ordinal));
                acknowledged = await SendAllAsync(node, study.Files);
                await killed.WaitAsync(JobTimeout);
                await node.KillAsync();
                break;
            default:
                // PACS accepts the TCP connection and then hangs: the node is inside its C-STORE association when killed.
                await orthanc.StopAsync();
                using (var hanging = new TcpListener(IPAddress.Loopback, orthanc.DicomPort))
                {
                    hanging.Start();
                    acknowledged = await SendAllAsync(node, study.Files);
                    using var connection = await hanging.AcceptTcpClientAsync().WaitAsync(JobTimeout);
                    await node.KillAsync();
                }

                await orthanc.StartAgainAsync();
                break;
        }

        var run = node.Lines.Count;
        await node.StartAsync();
        // Everything storescu got a Success for survived the kill.
        var spooled = node.SpoolInstances(study.StudyInstanceUid, study.SeriesInstanceUid).Select(PhantomStudy.SopInstanceUid).ToHashSet();
        Assert.Subset(spooled, acknowledged.Select(PhantomStudy.SopInstanceUid).ToHashSet());

        // The modality resends what it has no Success for.
        var rest = study.Files.Except(acknowledged).ToList();
        if (rest.Count > 0)
        {
            await SendAllAsync(node, rest);
        }

        await node.WaitForDeliveryAsync(run, JobTimeout);
        Assert.Equal(study.Files.Count, node.SpoolInstances(study.StudyInstanceUid, study.SeriesInstanceUid).Count);
        var job = Assert.Single(await node.JobsAsync());
        // Released once, complete: the restart did not cut the series in two (recovery may log the same release again).
        var releases = node.Lines.Where(l => l.Contains(" released with ", StringComparison.Ordinal)).ToList();
        Assert.All(releases, l => Assert.Contains("(release 1)", l, StringComparison.Ordinal));
        Assert.Contains($"released with {NodeProcess.Count(study.Files.Count)} instance(s)", releases[^1], StringComparison.Ordinal);
        if (phase == "segmentation")
        {
            Assert.Equal(2, job.Attempts); // the first run died with the node; the restart ran it again
        }

        Assert.Equal(1, await OrthancResults.CountAsync(orthanc, study.StudyInstanceUid, "SEG"));
    }

    [PeerFact("storescu", OrthancProcess.Binary)]
    public async Task NodeProcess_PacsDownDuringExport_SegArrivesOncePacsIsBack()
    {
        using var dir = new TempDirectory();
        var study = PhantomStudy.Write(dir.Combine("study"), seed: 12);
        await using var orthanc = await OrthancProcess.StartAsync();
        await using var node = new NodeProcess(ModelPackages.Tiny, orthanc.DicomPort, LiverRouting, Settings);
        await node.StartAsync();
        using var log = node.CopyLogTo(output);

        await orthanc.StopAsync();
        await SendAllAsync(node, study.Files);
        await node.WaitForLineAsync(l => l.Contains("to PACS: attempt 1 failed", StringComparison.Ordinal), JobTimeout);
        await orthanc.StartAgainAsync();

        await node.WaitForDeliveryAsync(0, JobTimeout);
        Assert.Equal(1, await OrthancResults.CountAsync(orthanc, study.StudyInstanceUid, "SEG"));
        Assert.Single(await node.JobsAsync());
    }

    [PeerFact("storescu", OrthancProcess.Binary)]
    public async Task NodeProcess_SeriesMissingAMiddleSlice_FailsWithItsReasonWhileTheOtherSeriesIsDelivered()
    {
        using var dir = new TempDirectory();
        var full = PhantomStudy.Write(dir.Combine("broken"), seed: 13);
        var broken = full.Without(full.Files.Count / 2);
        var good = PhantomStudy.Write(dir.Combine("good"), seed: 14);
        await using var orthanc = await OrthancProcess.StartAsync();
        await using var node = new NodeProcess(ModelPackages.Tiny, orthanc.DicomPort, LiverRouting, Settings);
        await node.StartAsync();
        using var log = node.CopyLogTo(output);

        using (var first = StorescuModality.Start(node.DicomPort, broken.Files))
        using (var second = StorescuModality.Start(node.DicomPort, good.Files, callingAe: "SCANNER2"))
        {
            Assert.Equal(0, await first.WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.Equal(0, await second.WaitAsync(TimeSpan.FromMinutes(1)));
        }

        var failure = await node.WaitForLineAsync(l => l.Contains("failed at stage geometry", StringComparison.Ordinal), JobTimeout);
        await node.WaitForDeliveryAsync(0, JobTimeout);

        Assert.Contains(broken.SeriesInstanceUid, failure, StringComparison.Ordinal);
        var health = await node.HealthAsync();
        var reported = Assert.Single(health.RecentFailures);
        Assert.Equal(broken.SeriesInstanceUid, reported.SeriesInstanceUid);
        Assert.Equal("geometry", reported.Stage);
        Assert.False(string.IsNullOrWhiteSpace(reported.Reason));
        Assert.Contains(reported.Reason!, failure, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(1, health.JobsFailed);
        Assert.Equal(1, health.JobsExported);

        Assert.Equal(1, await OrthancResults.CountAsync(orthanc, good.StudyInstanceUid, "SEG"));
        Assert.Empty(await OrthancResults.SeriesOfStudyAsync(orthanc, broken.StudyInstanceUid));
    }

    private static async Task<IReadOnlyList<string>> SendAllAsync(NodeProcess node, IReadOnlyList<string> files)
    {
        var send = await StorescuModality.SendAsync(node.DicomPort, files);
        Assert.True(send.ExitCode == 0, send.Log);
        Assert.Equal(files.Count, send.Acknowledged.Count);
        return send.Acknowledged;
    }
}
