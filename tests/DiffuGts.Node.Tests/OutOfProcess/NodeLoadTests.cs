using System.Globalization;
using System.Text.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Node.Assembly;
using DiffuGts.Testing;
using Xunit;
using Xunit.Abstractions;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// Four modalities at once against the node process: four storescu processes, four studies of five series, 2,000 small
/// CT instances in all. No rule matches (routing default Ignore), so no model runs and the test sees reception, the
/// spool and series assembly under concurrency: every instance stored, every series released and routed exactly once.
/// </summary>
[Collection(NodeProcessSequence.Name)]
public sealed class NodeLoadTests(ITestOutputHelper output)
{
    private const int Studies = 4;
    private const int SeriesPerStudy = 5;
    private const int InstancesPerSeries = 100;
    private const string UidRoot = "1.2.826.0.1.3680043.10.1234.77";

    /// <summary>Only MR is segmented, so the CT load is logged as unrouted and kept: routing runs, the model does not.</summary>
    private const string MrOnlyRouting = """
        { "Routing": { "Mode": "FirstMatch", "Default": "Ignore",
          "Rules": [ { "Name": "mr-only", "Modality": [ "MR" ], "PromptSet": "liver", "Destinations": [ "PACS" ] } ] } }
        """;

    [PeerFact("storescu")]
    public async Task NodeProcess_FourConcurrentSendersTwoThousandInstances_StoresAllAndRoutesEachSeriesOnce()
    {
        using var dir = new TempDirectory();
        var studies = Write(dir.Path);
        // No PACS is needed: nothing is routed to one. FlushToDisk stays on, as in production.
        await using var node = new NodeProcess(ModelPackages.Tiny, pacsPort: 1, MrOnlyRouting, ["Storage:SeriesIdleTimeout=00:00:05"]);
        await node.StartAsync();
        using var log = node.CopyLogTo(output);

        var senders = studies.Select((files, i) => StorescuModality.Start(node.DicomPort, files, callingAe: $"MODALITY{i}")).ToList();
        try
        {
            foreach (var sender in senders)
            {
                Assert.True(await sender.WaitAsync(TimeSpan.FromMinutes(3)) == 0, sender.Log);
                Assert.Equal(SeriesPerStudy * InstancesPerSeries, sender.Acknowledged.Count);
            }
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }

        const int AllSeries = Studies * SeriesPerStudy;
        await node.WaitUntilAsync(lines => lines.Count(l => l.Contains("matched no routing rule", StringComparison.Ordinal)) >= AllSeries,
            TimeSpan.FromMinutes(1));

        for (var s = 0; s < Studies; s++)
        {
            for (var k = 0; k < SeriesPerStudy; k++)
            {
                var (study, series) = (StudyUid(s), SeriesUid(s, k));
                Assert.Equal(InstancesPerSeries, node.SpoolInstances(study, series).Count);
                var released = Assert.Single(node.Lines, l => l.Contains(series + " released with", StringComparison.Ordinal));
                Assert.Contains($"released with {NodeProcess.Count(InstancesPerSeries)} instance(s) (release 1)", released, StringComparison.Ordinal);
                Assert.Single(node.Lines, l => l.Contains(series + " (modality CT", StringComparison.Ordinal) && l.Contains("matched no routing rule", StringComparison.Ordinal));
                // The durable record agrees: released once, routed once.
                var record = JsonSerializer.Deserialize<SeriesRecord>(File.ReadAllBytes(node.Spool.SeriesRecord(NodeProcess.AeTitle, study, series)))!;
                Assert.Equal((SeriesState.Released, 1, 1), (record.State, record.ReleaseCount, record.RoutedRelease));
            }
        }

        Assert.Empty(await node.JobsAsync());
    }

    private static string StudyUid(int study) => string.Create(CultureInfo.InvariantCulture, $"{UidRoot}.{study + 1}");

    private static string SeriesUid(int study, int series) => string.Create(CultureInfo.InvariantCulture, $"{UidRoot}.{study + 1}.{series + 1}");

    /// <summary>Writes the studies (64 × 64 slices) and returns each study's files.</summary>
    private static List<List<string>> Write(string folder)
    {
        var pixels = SyntheticCtSlice.Pixels(64, 64, seed: 7);
        var studies = new List<List<string>>();
        for (var s = 0; s < Studies; s++)
        {
            var files = new List<string>();
            for (var k = 0; k < SeriesPerStudy; k++)
            {
                for (var i = 0; i < InstancesPerSeries; i++)
                {
                    var ds = SyntheticCtSlice.Dataset(i, 64, 64, pixels);
                    var sop = string.Create(CultureInfo.InvariantCulture, $"{SeriesUid(s, k)}.{i + 1}");
                    ds.AddOrUpdate(DicomTags.StudyInstanceUID, StudyUid(s));
                    ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid(s, k));
                    ds.AddOrUpdate(DicomTags.SOPInstanceUID, sop);
                    ds.AddOrUpdate(DicomTags.PatientID, string.Create(CultureInfo.InvariantCulture, $"LOAD-{s + 1}"));
                    ds.AddOrUpdate(DicomTags.SeriesNumber, k + 1);
                    ds.AddOrUpdate(DicomTags.ImagePositionPatient, -16.0, -16.0, i * 2.5);
                    var path = Path.Combine(folder, sop + ".dcm");
                    using (var stream = File.Create(path))
                    {
                        new DicomFile(ds).Save(stream);
                    }

                    files.Add(path);
                }
            }

            studies.Add(files);
        }

        return studies;
    }
}
