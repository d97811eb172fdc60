using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Server;

/// <summary>Component layer (STYLE §8.3): our SCU against our SCP on loopback port 0.</summary>
public sealed class DicomServerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Echo_OurScuToOurScp_Success()
    {
        await using var scp = await LoopbackServer.StartAsync();

        var status = await EchoScu.EchoAsync(scp.Client(), None);

        Assert.Equal(DimseStatus.Success, status);
    }

    [Theory]
    [InlineData(131072u, 131072u)]
    [InlineData(4096u, 4096u)]
    [InlineData(4096u, 0u)]
    public async Task Store_SeveralInstancesOneAssociation_FilesEqualWhatWasSent(uint serverMaxPdu, uint clientMaxPdu)
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { MaxPduLength = serverMaxPdu });
        using var source = new TempDirectory();
        var paths = new[]
        {
            SyntheticInstances.Write(source.Path, 1, rows: 100, columns: 100),
            SyntheticInstances.Write(source.Path, 2, SyntheticInstances.MrImageStorage, transferSyntax: DicomTransferSyntax.ImplicitVRLittleEndian),
            SyntheticInstances.Write(source.Path, 3, transferSyntax: DicomTransferSyntax.ExplicitVRBigEndian),
        };
        var instances = paths.Select(StoreInstance.FromFile).ToList();

        var report = await new StoreScu(scp.Client() with { MaxPduLength = clientMaxPdu }).SendAsync(instances, null, None);

        Assert.True(report.AllStored, string.Join("; ", report.Results.Select(r => $"{r.Outcome} {r.Status} {r.Error}")));
        foreach (var path in paths)
        {
            var sent = DicomFile.Open(File.ReadAllBytes(path));
            var uid = sent.Dataset.GetString(DicomTags.SOPInstanceUID);
            var received = DicomFile.Open(File.ReadAllBytes(Path.Combine(scp.StoreDirectory, uid + ".dcm")));
            Assert.Equal(sent.TransferSyntax, received.TransferSyntax);
            Assert.Equal(sent.Dataset.GetBuffer(DicomTags.PixelData).ToArray(), received.Dataset.GetBuffer(DicomTags.PixelData).ToArray());
            Assert.Equal("TESTSCU", received.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle));
        }
    }

    [Fact]
    public async Task Store_ServerRefusesFileSyntax_InstanceTranscodedOnFallbackContext()
    {
        var options = new DicomServerOptions
        {
            Negotiation = new NegotiationOptions { TransferSyntaxes = [TransferSyntaxUids.ImplicitVrLittleEndian] },
        };
        await using var scp = await LoopbackServer.StartAsync(options);
        using var source = new TempDirectory();
        var path = SyntheticInstances.Write(source.Path, 5, transferSyntax: DicomTransferSyntax.ExplicitVRBigEndian);

        var report = await new StoreScu(scp.Client()).SendAsync([StoreInstance.FromFile(path)], null, None);

        Assert.True(report.AllStored);
        var received = DicomFile.Open(File.ReadAllBytes(Path.Combine(scp.StoreDirectory, "2.25.1000005.dcm")));
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, received.TransferSyntax);
        Assert.Equal(DicomFile.Open(File.ReadAllBytes(path)).Dataset.GetValues<ushort>(DicomTags.PixelData),
            received.Dataset.GetValues<ushort>(DicomTags.PixelData));
    }

    [Fact]
    public async Task Store_SopClassNotOffered_OnlyThatInstanceHasNoContext()
    {
        var options = new DicomServerOptions { Negotiation = new NegotiationOptions { StorageSopClasses = [SopClassUids.CtImageStorage] } };
        await using var scp = await LoopbackServer.StartAsync(options);
        using var source = new TempDirectory();
        var ct = StoreInstance.FromFile(SyntheticInstances.Write(source.Path, 10));
        var mr = StoreInstance.FromFile(SyntheticInstances.Write(source.Path, 11, SyntheticInstances.MrImageStorage));

        var report = await new StoreScu(scp.Client()).SendAsync([mr, ct], null, None);

        Assert.Equal(StoreOutcome.NoPresentationContext, report.Results[0].Outcome);
        Assert.Equal(StoreOutcome.Stored, report.Results[1].Outcome);
        Assert.Null(report.AssociationFailure);
    }

    [Fact]
    public async Task Store_ResponseSentOnlyAfterHandlerReturns()
    {
        var handler = new GatedHandler();
        await using var scp = await LoopbackServer.StartAsync(handler: handler);
        using var source = new TempDirectory();
        var instance = StoreInstance.FromFile(SyntheticInstances.Write(source.Path, 20, rows: 256, columns: 256));

        var send = new StoreScu(scp.Client()).SendAsync([instance], null, None);
        var received = await handler.Received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(100);

        Assert.False(send.IsCompleted);
        Assert.Equal(new FileInfo(instance.Path).Length - instance.DataSetOffset, received);
        handler.Release.SetResult(new StoreResult(DimseStatus.ElementsDiscarded));
        var report = await send.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(StoreOutcome.StoredWithWarning, Assert.Single(report.Results).Outcome);
        Assert.Equal(DimseStatus.ElementsDiscarded, report.Results[0].Status);
    }

    [Fact]
    public async Task Store_HandlerThrows_FailureStatusAndAssociationContinues()
    {
        var handler = new ThrowingOnceHandler();
        await using var scp = await LoopbackServer.StartAsync(handler: handler);
        using var source = new TempDirectory();
        var instances = new[] { 30, 31 }.Select(i => StoreInstance.FromFile(SyntheticInstances.Write(source.Path, i))).ToList();

        var report = await new StoreScu(scp.Client()).SendAsync(instances, null, None);

        Assert.Equal(DimseStatus.OutOfResources, report.Results[0].Status);
        Assert.Equal(StoreOutcome.Failed, report.Results[0].Outcome);
        Assert.Equal(StoreOutcome.Stored, report.Results[1].Outcome);
    }

    [Fact]
    public async Task Store_DataSetOverLimit_A700AndNextInstanceStored()
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { MaxDataSetBytes = 20_000 });
        using var source = new TempDirectory();
        var big = StoreInstance.FromFile(SyntheticInstances.Write(source.Path, 40, rows: 128, columns: 128));
        var small = StoreInstance.FromFile(SyntheticInstances.Write(source.Path, 41, rows: 16, columns: 16));

        var report = await new StoreScu(scp.Client()).SendAsync([big, small], null, None);

        Assert.Equal(0xA7, report.Results[0].Status!.Value.Code >> 8);
        Assert.Equal(StoreOutcome.Stored, report.Results[1].Outcome);
        Assert.False(File.Exists(Path.Combine(scp.StoreDirectory, big.SopInstanceUid + ".dcm")));
        Assert.Empty(Directory.GetFiles(scp.StoreDirectory, "*.part"));
    }

    [Fact]
    public async Task Store_AssociationOverByteLimit_A700ForLaterInstancesWhileAnotherAssociationStoresAll()
    {
        // MaxAssociationBytes counts completed data sets: the instance that crosses the limit is stored, every later one in
        // that association gets A700 (conformance statement §3.1). The count is per association, so a concurrent one is unaffected.
        using var source = new TempDirectory();
        var greedy = new[] { 50, 51, 52, 53, 54 }.Select(i => StoreInstance.FromFile(SyntheticInstances.Write(source.Path, i))).ToList();
        var polite = new[] { 60, 61 }.Select(i => StoreInstance.FromFile(SyntheticInstances.Write(source.Path, i))).ToList();
        var dataSetBytes = new FileInfo(greedy[0].Path).Length - greedy[0].DataSetOffset;
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { MaxAssociationBytes = (2 * dataSetBytes) + (dataSetBytes / 2) });

        var reports = await Task.WhenAll(new StoreScu(scp.Client()).SendAsync(greedy, null, None), new StoreScu(scp.Client()).SendAsync(polite, null, None));

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Stored, StoreOutcome.Stored, StoreOutcome.Failed, StoreOutcome.Failed],
            reports[0].Results.Select(r => r.Outcome));
        Assert.All(reports[0].Results.Skip(3), r => Assert.Equal(DimseStatus.OutOfResources, r.Status));
        Assert.All(reports[0].Results.Skip(3), r => Assert.Equal("association byte limit reached", r.Error));
        Assert.Null(reports[0].AssociationFailure);
        Assert.True(reports[1].AllStored);
        Assert.Equal(
            [.. greedy.Take(3).Concat(polite).Select(i => i.SopInstanceUid + ".dcm").Order(StringComparer.Ordinal)],
            Directory.GetFiles(scp.StoreDirectory, "*.dcm").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Associate_WrongCalledAe_PermanentRejectCalledAeNotRecognised()
    {
        var options = new DicomServerOptions { Policy = new AssociationPolicyOptions { CalledAeTitles = ["DIFFUGTS"] } };
        await using var scp = await LoopbackServer.StartAsync(options);

        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() => EchoScu.EchoAsync(scp.Client("SOMEONE"), None));

        Assert.False(ex.IsTransient);
        Assert.Equal(AssociationRejectReasons.CalledAeTitleNotRecognized, ex.Reject.Reason);
    }

    [Fact]
    public async Task Associate_DiskPressure_TransientReject()
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { DiskPressure = () => true });

        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() => EchoScu.EchoAsync(scp.Client(), None));

        Assert.True(ex.IsTransient);
        Assert.Equal(AssociationRejectSource.ServiceProviderPresentation, ex.Reject.Source);
    }

    [Fact]
    public async Task Connect_NothingListening_ConnectionException()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "ANY" };

        await Assert.ThrowsAsync<DicomConnectionException>(() => EchoScu.EchoAsync(options, None));
    }

    private sealed class GatedHandler : IStoreHandler
    {
        public TaskCompletionSource<long> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<StoreResult> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            var buffer = new MemoryStream();
            await dataSet.CopyToAsync(buffer, cancellationToken);
            Received.SetResult(buffer.Length);
            return await Release.Task;
        }
    }

    private sealed class ThrowingOnceHandler : IStoreHandler
    {
        private int _calls;

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            return Interlocked.Increment(ref _calls) == 1 ? throw new IOException("disk full") : StoreResult.Success;
        }
    }
}
