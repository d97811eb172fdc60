using System.Net;
using System.Net.Http.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Interop.Tests.Network;

/// <summary>A private Orthanc (free ports, generated config, REST on 127.0.0.1) as PACS peer of our SCU and SCP.</summary>
[Trait("Layer", "Interop")]
public sealed class OrthancInteropTests
{
    [PeerFact(OrthancProcess.Binary)]
    public async Task OurScuToOrthancAndOrthancToOurScp_InstancesArriveUnchanged()
    {
        using var work = new TempDirectory("diffugts-orthanc");
        await using var scp = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0 },
            new Part10FileStoreHandler(work.Combine("received")));
        await scp.StartAsync(CancellationToken.None);
        await using var orthanc = await OrthancProcess.StartAsync(new Dictionary<string, (string, string, int)>
        {
            ["diffugts"] = ("DIFFUGTS", "127.0.0.1", scp.LocalEndPoint.Port),
        });
        var http = orthanc.Http;
        var dicomPort = orthanc.DicomPort;
        {
            using var source = new TempDirectory();
            var files = Enumerable.Range(200, 5).Select(i => SyntheticInstances.Write(source.Path, i)).ToList();

            // Our SCU → Orthanc.
            var options = new DicomClientOptions { Host = "127.0.0.1", Port = dicomPort, CalledAeTitle = "ORTHANC" };
            var report = await new StoreScu(options).SendAsync([.. files.Select(StoreInstance.FromFile)], null, CancellationToken.None);
            Assert.True(report.AllStored, string.Join("; ", report.Results.Select(r => $"{r.Outcome} {r.Status} {r.Error}")));
            var ids = await http.GetFromJsonAsync<string[]>("instances");
            Assert.Equal(files.Count, ids!.Length);
            foreach (var id in ids)
            {
                var stored = DicomFile.Open(await http.GetByteArrayAsync($"instances/{id}/file"));
                var sent = DicomFile.Open(File.ReadAllBytes(files.Single(f => Path.GetFileNameWithoutExtension(f)
                    == stored.Dataset.GetString(DicomTags.SOPInstanceUID))));
                Assert.Equal(sent.Dataset.GetValues<ushort>(DicomTags.PixelData), stored.Dataset.GetValues<ushort>(DicomTags.PixelData));
            }

            // Orthanc → our SCP, through its REST API (/modalities/{id}/store).
            using var response = await http.PostAsync("modalities/diffugts/store", JsonContent.Create(ids));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var received = Directory.GetFiles(work.Combine("received"), "*.dcm").Select(p => DicomFile.Open(File.ReadAllBytes(p))).ToList();
            Assert.Equal(files.Count, received.Count);
            foreach (var file in received)
            {
                var sent = DicomFile.Open(File.ReadAllBytes(Path.Combine(source.Path, file.Dataset.GetString(DicomTags.SOPInstanceUID) + ".dcm")));
                Assert.Equal(sent.Dataset.GetValues<ushort>(DicomTags.PixelData), file.Dataset.GetValues<ushort>(DicomTags.PixelData));
            }
        }
    }
}
