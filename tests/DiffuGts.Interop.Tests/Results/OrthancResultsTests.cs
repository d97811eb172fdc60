using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Results;

/// <summary>
/// Issue 4: a real PACS accepts and stores what we produce. A phantom CT series with a liver lesion, the SEG of its
/// ground-truth lesion and the SC overlays are sent with our SCU to a private Orthanc; its REST API must then show one
/// study with three series (CT, SEG, SC), the SEG's segment label, and every SC instance.
/// </summary>
[Trait("Layer", "Interop")]
public sealed class OrthancResultsTests
{
    [PeerFact(OrthancProcess.Binary)]
    public async Task Orthanc_SegAndOverlaysOfAPhantom_AreStoredInTheSourceStudy()
    {
        using var dir = new TempDirectory();
        var phantom = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 3, SizeX = 64, SizeY = 64, SizeZ = 24, Spacing = new Vector3D(6, 6, 6), Lesions = [LesionRequest.Parse("liver:hypodense")],
        });
        PhantomWriter.Write(phantom, dir.Path, PhantomOutputFormat.Dicom);
        var sourcePaths = Directory.GetFiles(Path.Combine(dir.Path, "dicom")).Order(StringComparer.Ordinal).ToList();
        var sources = sourcePaths.Select(p => DicomFile.Open(File.ReadAllBytes(p))).ToList();
        var volume = SeriesVolumeBuilder.Build(sources);
        var mask = phantom.LesionMask.Map(v => (byte)(v != 0 ? 1 : 0));

        var results = Directory.CreateDirectory(dir.Combine("results")).FullName;
        var seg = SegmentationWriter.CreateFile(volume, [(new SegmentDefinition("Liver lesion") { Color = 0xFF8000 }, mask)],
            new SegmentationWriterOptions { DeterministicUids = true })!;
        var resultPaths = new List<string> { Save(seg, Path.Combine(results, "seg.dcm")) };
        var byUid = sources.ToDictionary(f => f.Dataset.GetString(DicomTags.SOPInstanceUID), f => f.Dataset);
        var overlays = new SecondaryCaptureWriter().Create([.. volume.Slices.Select(s => byUid[s.SopInstanceUid])], volume.Volume,
            [new OverlaySegment("Liver lesion", new RgbColor(255, 128, 0), mask)], new OverlayModelInfo("interop-test", "1"));
        Assert.NotEmpty(overlays);
        resultPaths.AddRange(overlays.Select(o => Save(new DicomFile(o.Dataset), Path.Combine(results, $"sc-{o.SliceIndex}.dcm"))));

        await using var orthanc = await OrthancProcess.StartAsync();
        var scu = new StoreScu(new DicomClientOptions { Host = "127.0.0.1", Port = orthanc.DicomPort, CalledAeTitle = OrthancProcess.AeTitle });
        var report = await scu.SendAsync([.. sourcePaths.Concat(resultPaths).Select(StoreInstance.FromFile)], null, CancellationToken.None);
        Assert.True(report.AllStored, string.Join("; ", report.Results.Where(r => !r.IsStored).Select(r => $"{r.Path}: {r.Outcome} {r.Status} {r.Error}")));

        var studies = await orthanc.Http.GetFromJsonAsync<string[]>("studies");
        var study = Assert.Single(studies!);
        var series = await orthanc.Http.GetFromJsonAsync<JsonArray>($"studies/{study}/series");
        var modalities = series!.Select(s => s!["MainDicomTags"]!["Modality"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, modalities.Count);
        Assert.Contains("SEG", modalities);
        Assert.Equal(sourcePaths.Count + resultPaths.Count, (await orthanc.Http.GetFromJsonAsync<string[]>("instances"))!.Length);

        var segSeries = series!.Single(s => s!["MainDicomTags"]!["Modality"]!.GetValue<string>() == "SEG");
        var segInstance = segSeries!["Instances"]![0]!.GetValue<string>();
        var tags = await orthanc.Http.GetFromJsonAsync<JsonObject>($"instances/{segInstance}/simplified-tags");
        Assert.Equal("Liver lesion", tags!["SegmentSequence"]![0]!["SegmentLabel"]!.GetValue<string>());
    }

    private static string Save(DicomFile file, string path)
    {
        using var stream = File.Create(path);
        file.Save(stream);
        return path;
    }
}
