using DiffuGts.Node.Jobs;
using DiffuGts.Node.Tests.Options;
using DiffuGts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// The built node as a separate process, end to end (issue 7, "Done when"): DCMTK's storescu sends the committed
/// sample study, the node routes it by the shipped config/routing.json, segments it with the shipped model package, and
/// a private Orthanc, the PACS, ends up holding our SEG and secondary-capture series in the source study.
/// </summary>
[Collection(NodeProcessSequence.Name)]
public sealed class NodeEndToEndTests(ITestOutputHelper output)
{
    private const string LiverPrompt = "Liver lesion";
    private const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";

    [PeerFact("storescu", OrthancProcess.Binary)]
    public async Task NodeProcess_SampleStudyFromStorescu_OrthancHoldsSegAndScInTheSourceStudy()
    {
        var study = PhantomStudy.Sample(NodeSettingsValidatorTests.FindRepositoryRoot());
        await using var orthanc = await OrthancProcess.StartAsync();
        await using var node = new NodeProcess(ModelPackages.EndToEnd, orthanc.DicomPort, settings: ["Inference:SendNoFindingResult=true"]);
        await node.StartAsync();
        using var log = node.CopyLogTo(output);

        var send = await StorescuModality.SendAsync(node.DicomPort, study.Files);
        Assert.True(send.ExitCode == 0, send.Log);
        Assert.Equal(study.Files.Count, send.Acknowledged.Count);

        await node.WaitForDeliveryAsync(0, TimeSpan.FromMinutes(10));
        var job = Assert.Single(await node.JobsAsync());
        Assert.Equal(JobState.Exported, job.State);
        Assert.Equal("ct-abdomen", job.Route.RuleName);
        Assert.Equal(study.Files.Count, node.SpoolInstances(study.StudyInstanceUid, study.SeriesInstanceUid).Count);

        var series = await OrthancResults.SeriesOfStudyAsync(orthanc, study.StudyInstanceUid);
        var seg = Assert.Single(series, s => s.Modality == "SEG");
        var segInstance = Assert.Single(seg.Instances);
        Assert.Contains(LiverPrompt, await OrthancResults.SegmentLabelsAsync(orthanc, segInstance));
        var overlays = job.ResultFiles.Count(f => Path.GetFileName(f).StartsWith("sc-", StringComparison.Ordinal));
        // Only our results went to Orthanc: every series besides the SEG is the secondary-capture overlay series.
        var others = series.Where(s => s.Modality != "SEG").ToList();
        Assert.Equal(overlays, others.Sum(s => s.Instances.Count));
        foreach (var instance in others.SelectMany(s => s.Instances))
        {
            Assert.Equal(SecondaryCaptureImageStorage, await OrthancResults.TagAsync(orthanc, instance, "SOPClassUID"));
        }

        if (ModelPackages.EndToEnd == ModelPackages.Reference)
        {
            // The reference model finds the sample's liver lesion, so overlays of it go with the SEG.
            Assert.True(overlays > 0, node.Tail());
        }
    }
}
