using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Interop.Tests.Network;

/// <summary>Interop layer (STYLE §8.4): DCMTK's echoscu/storescu against our SCP, and our SCU against storescp.</summary>
[Trait("Layer", "Interop")]
public sealed class DcmtkInteropTests
{
    private static readonly Dictionary<string, string> NoDelay = new() { ["TCP_NODELAY"] = "1" };

    private static Task<LoopbackServer> StartScpAsync(uint maxPdu = 131072, NegotiationOptions? negotiation = null) =>
        LoopbackServer.StartAsync(new DicomServerOptions { MaxPduLength = maxPdu, Negotiation = negotiation ?? new NegotiationOptions() });

    private static string Port(LoopbackServer scp) => scp.Port.ToString(CultureInfo.InvariantCulture);

    private static List<string> WriteSeries(string directory, int count, int firstSeed = 1, DicomTransferSyntax? syntax = null) =>
        [.. Enumerable.Range(firstSeed, count).Select(i => SyntheticInstances.Write(directory, i, rows: 64, columns: 48, transferSyntax: syntax))];

    /// <summary>What arrived equals what was sent: same SOP instances, same pixel values (whatever the transfer syntax).</summary>
    private static void AssertSameInstances(IEnumerable<string> sent, IEnumerable<string> receivedFiles)
    {
        var received = receivedFiles.Select(p => DicomFile.Open(File.ReadAllBytes(p)))
            .ToDictionary(f => f.Dataset.GetString(DicomTags.SOPInstanceUID));
        var expected = sent.Select(p => DicomFile.Open(File.ReadAllBytes(p))).ToList();
        Assert.Equal(expected.Count, received.Count);
        foreach (var file in expected)
        {
            var got = received[file.Dataset.GetString(DicomTags.SOPInstanceUID)];
            Assert.Equal(file.Dataset.GetValues<ushort>(DicomTags.PixelData), got.Dataset.GetValues<ushort>(DicomTags.PixelData));
            Assert.Equal(file.Dataset.GetString(DicomTags.PatientID), got.Dataset.GetString(DicomTags.PatientID));
        }
    }

    [PeerFact("echoscu")]
    public async Task Echoscu_ToOurScp_Succeeds()
    {
        await using (var scp = await StartScpAsync())
        {
            var result = ProcessRunner.Run(Peers.Require("echoscu"), ["-aec", "DIFFUGTS", "127.0.0.1", Port(scp)], TimeSpan.FromSeconds(30));

            Assert.True(result.ExitCode == 0, result.StandardError);
        }
    }

    [PeerTheory("storescu")]
    [InlineData("-xi", 4096)]
    [InlineData("-xi", 131072)]
    [InlineData("-xe", 4096)]
    [InlineData("-xe", 131072)]
    [InlineData("-xb", 4096)]
    [InlineData("-xb", 131072)]
    public async Task Storescu_ManyFilesOneAssociation_ArriveUnchanged(string proposal, int maxPdu)
    {
        await using (var scp = await StartScpAsync(maxPdu: (uint)maxPdu))
        {
            using var source = new TempDirectory();
            var files = WriteSeries(source.Path, 12);

            var result = ProcessRunner.Run(Peers.Require("storescu"),
                ["-aec", "DIFFUGTS", "-aet", "STORESCU", proposal, "--max-pdu", maxPdu.ToString(CultureInfo.InvariantCulture),
                 "127.0.0.1", Port(scp), .. files],
                TimeSpan.FromSeconds(120), environment: NoDelay);

            Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
            AssertSameInstances(files, Directory.GetFiles(scp.StoreDirectory, "*.dcm"));
        }
    }

    [PeerFact("storescu")]
    public async Task Storescu_BigEndianAcceptedByScp_ReceivedAsBigEndianWithSamePixels()
    {
        var preferBigEndian = new NegotiationOptions { TransferSyntaxes = [TransferSyntaxUids.ExplicitVrBigEndian] };
        await using (var scp = await StartScpAsync(negotiation: preferBigEndian))
        {
            using var source = new TempDirectory();
            var files = WriteSeries(source.Path, 3);

            var result = ProcessRunner.Run(Peers.Require("storescu"), ["-aec", "DIFFUGTS", "-xb", "127.0.0.1", Port(scp), .. files],
                TimeSpan.FromSeconds(60), environment: NoDelay);

            Assert.True(result.ExitCode == 0, result.StandardError);
            var received = Directory.GetFiles(scp.StoreDirectory, "*.dcm");
            Assert.All(received, p => Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, DicomFile.Open(File.ReadAllBytes(p)).TransferSyntax));
            AssertSameInstances(files, received);
        }
    }

    [PeerFact("storescu")]
    public async Task Storescu_FourProcessesAtOnce_AllInstancesArrive()
    {
        await using (var scp = await StartScpAsync())
        {
            using var source = new TempDirectory();
            var batches = Enumerable.Range(0, 4).Select(b => WriteSeries(source.Path, 10, firstSeed: 100 + (b * 10))).ToList();

            var results = await Task.WhenAll(batches.Select(files => Task.Run(() => ProcessRunner.Run(Peers.Require("storescu"),
                ["-aec", "DIFFUGTS", "127.0.0.1", Port(scp), .. files], TimeSpan.FromSeconds(120), environment: NoDelay))));

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardError));
            AssertSameInstances(batches.SelectMany(b => b), Directory.GetFiles(scp.StoreDirectory, "*.dcm"));
        }
    }

    /// <summary>A synthetic CT slice compressed by DCMTK's dcmcrle (RLE Lossless, PS3.5 Annex G).</summary>
    private static string WriteRleInstance(string directory, int seed)
    {
        var native = SyntheticInstances.Write(directory, seed, rows: 32, columns: 24);
        var rle = Path.Combine(directory, $"rle-{seed}.dcm");
        var result = ProcessRunner.Run(Peers.Require("dcmcrle"), [native, rle], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return rle;
    }

    [PeerFact("storescp", "dcmcrle")]
    public async Task OurScu_RleFileToStorescpAcceptingRle_SentAsIsFragmentsUnchanged()
    {
        using var output = new TempDirectory();
        using var source = new TempDirectory();
        using var storescp = DcmtkProcess.StartStorescp(output.Path, "STORESCP", "+xr");
        var rle = WriteRleInstance(source.Path, 70);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = storescp.Port, CalledAeTitle = "STORESCP" };

        var report = await new StoreScu(options).SendAsync([StoreInstance.FromFile(rle)], null, CancellationToken.None);

        Assert.True(report.AllStored, string.Join("; ", report.Results.Select(r => $"{r.Outcome} {r.Status} {r.Error}")));
        var sent = DicomFile.Open(File.ReadAllBytes(rle));
        var received = DicomFile.Open(File.ReadAllBytes(Assert.Single(Directory.GetFiles(output.Path))));
        Assert.Equal(DicomTransferSyntax.RLELossless, received.TransferSyntax);
        var sentFragments = Assert.IsType<DicomFragmentSequence>(sent.Dataset.GetItem(DicomTags.PixelData)).Fragments;
        var receivedFragments = Assert.IsType<DicomFragmentSequence>(received.Dataset.GetItem(DicomTags.PixelData)).Fragments;
        Assert.Equal(sentFragments.Select(f => f.ToArray()), receivedFragments.Select(f => f.ToArray()));
    }

    [PeerFact("storescp", "dcmcrle")]
    public async Task OurScu_RleFileToStorescpRefusingRle_NoPresentationContextNamedAndNativeInstanceStillStored()
    {
        // Our SCU proposes a compressed file only in its own syntax (no decoding fallback): a peer that refuses RLE gets
        // that instance reported as NoPresentationContext with the syntax named, and the rest of the send goes on.
        using var output = new TempDirectory();
        using var source = new TempDirectory();
        using var storescp = DcmtkProcess.StartStorescp(output.Path); // default: uncompressed syntaxes only
        var rle = WriteRleInstance(source.Path, 71);
        var other = SyntheticInstances.Write(source.Path, 72);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = storescp.Port, CalledAeTitle = "STORESCP" };

        var report = await new StoreScu(options).SendAsync([StoreInstance.FromFile(rle), StoreInstance.FromFile(other)], null, CancellationToken.None);

        Assert.Equal(StoreOutcome.NoPresentationContext, report.Results[0].Outcome);
        Assert.Contains(TransferSyntaxUids.RleLossless, report.Results[0].Error, StringComparison.Ordinal);
        Assert.Equal(StoreOutcome.Stored, report.Results[1].Outcome);
        Assert.Null(report.AssociationFailure);
        AssertSameInstances([other], Directory.GetFiles(output.Path));
    }

    [PeerFact("storescp")]
    public async Task OurScu_ToStorescp_EchoAndStoreArriveUnchanged()
    {
        using var output = new TempDirectory();
        using var source = new TempDirectory();
        using var storescp = DcmtkProcess.StartStorescp(output.Path);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = storescp.Port, CalledAeTitle = "STORESCP", MaxPduLength = 16384 };
        var files = WriteSeries(source.Path, 8)
            .Concat(WriteSeries(source.Path, 2, firstSeed: 50, syntax: DicomTransferSyntax.ImplicitVRLittleEndian)).ToList();

        var echo = await EchoScu.EchoAsync(options, CancellationToken.None);
        var report = await new StoreScu(options).SendAsync([.. files.Select(StoreInstance.FromFile)], null, CancellationToken.None);

        Assert.Equal(DimseStatus.Success, echo);
        Assert.True(report.AllStored, string.Join("; ", report.Results.Select(r => $"{r.Outcome} {r.Status} {r.Error}")));
        AssertSameInstances(files, Directory.GetFiles(output.Path));
    }
}
