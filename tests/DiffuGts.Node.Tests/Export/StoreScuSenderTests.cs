using System.Net;
using System.Net.Sockets;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Export;
using DiffuGts.Node.Options;
using DiffuGts.Node.Tests.Reception;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Node.Tests.Export;

/// <summary>Result delivery through the real SCU against a scripted SCP on loopback: every way a send ends maps to a retry decision.</summary>
public sealed class StoreScuSenderTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private static string WriteFile(TempDirectory dir, string sopInstance)
    {
        var path = dir.Combine(sopInstance + ".dcm");
        var file = new DicomFile(SpoolStoreHandlerTests.Instance(CtImageStorage, sopInstance));
        using var stream = File.Create(path);
        file.Save(stream);
        return path;
    }

    private static async Task<(DeliveryFailure? Failure, int Received)> SendToScriptedScpAsync(DimseStatus answer, string peerAe = "PACS")
    {
        using var dir = new TempDirectory();
        var handler = new ScriptedHandler(answer);
        await using var server = new DicomServer(new DicomServerOptions
        {
            AeTitle = "PACS",
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Policy = new AssociationPolicyOptions { CalledAeTitles = ["PACS"] },
        }, handler);
        await server.StartAsync(default);
        var peer = new PeerOptions { AeTitle = peerAe, Host = "127.0.0.1", Port = server.LocalEndPoint.Port };
        var failure = await new StoreScuSender("DIFFUGTS").SendAsync(peer, [WriteFile(dir, "1.2.3.1"), WriteFile(dir, "1.2.3.2")], default);
        return (failure, handler.Received);
    }

    [Fact]
    public async Task Send_PeerStoresEverything_ReturnsNoFailure()
    {
        var (failure, received) = await SendToScriptedScpAsync(DimseStatus.Success);
        Assert.Null(failure);
        Assert.Equal(2, received);
    }

    [Fact]
    public async Task Send_PeerOutOfResources_IsTransientDimseFailure()
    {
        var (failure, _) = await SendToScriptedScpAsync(DimseStatus.OutOfResources);
        Assert.Equal((DeliveryFailureKind.DimseStatus, (ushort?)0xA700), (failure!.Kind, failure.Status));
        Assert.True(RetryClassifier.IsTransient(failure));
    }

    [Fact]
    public async Task Send_PeerRejectsSopClass_IsPermanent()
    {
        var (failure, _) = await SendToScriptedScpAsync(DimseStatus.SopClassNotSupported);
        Assert.False(RetryClassifier.IsTransient(failure!));
    }

    [Fact]
    public async Task Send_WrongCalledAeTitle_IsPermanentRejection()
    {
        var (failure, received) = await SendToScriptedScpAsync(DimseStatus.Success, peerAe: "NOT_PACS");
        Assert.Equal(DeliveryFailureKind.AssociationRejectedPermanent, failure!.Kind);
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Send_NobodyListening_IsTransientConnectionFailure()
    {
        using var dir = new TempDirectory();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var failure = await new StoreScuSender("DIFFUGTS").SendAsync(new PeerOptions { AeTitle = "PACS", Host = "127.0.0.1", Port = port },
            [WriteFile(dir, "1.2.3.1")], default);
        Assert.Equal(DeliveryFailureKind.ConnectionFailed, failure!.Kind);
        Assert.True(RetryClassifier.IsTransient(failure));
    }

    private sealed class ScriptedHandler(DimseStatus answer) : IStoreHandler
    {
        private int _received;

        public int Received => _received;

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            Interlocked.Increment(ref _received);
            return new StoreResult(answer);
        }
    }
}
