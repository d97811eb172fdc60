using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing.Network;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Server;

/// <summary>The SCP against a scripted raw-PDU peer: every bad peer ends with an A-ABORT (with reason) or a close, never a crash.</summary>
public sealed class BadPeerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static byte[] Request(string called = "DIFFUGTS") => PduEncoder.ToArray(new AssociateRequestPdu
    {
        CalledAeTitle = called,
        CallingAeTitle = "RAWPEER",
        PresentationContexts = [new PresentationContextRequest(1, SopClassUids.Verification, [TransferSyntaxUids.ImplicitVrLittleEndian])],
        UserInformation = new UserInformation { MaxPduLength = 16384, ImplementationClassUid = "1.2.3.4" },
    });

    private static async Task<(byte Type, byte[] Body)> ExpectPduAsync(RawPduPeer peer)
    {
        var pdu = await peer.ReadPduAsync(Wait);
        Assert.NotNull(pdu);
        return pdu.Value;
    }

    private static async Task AssertStillServesAsync(LoopbackServer scp)
    {
        Assert.Equal(DimseStatus.Success, await EchoScu.EchoAsync(scp.Client(), CancellationToken.None));
        for (var i = 0; i < 100 && scp.Server.OpenConnections > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, scp.Server.OpenConnections);
    }

    [Fact]
    public async Task HttpRequestOnDicomPort_AbortUnrecognizedPdu()
    {
        await using var scp = await LoopbackServer.StartAsync();
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);

        await peer.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var (type, body) = await ExpectPduAsync(peer);

        Assert.Equal((byte)PduType.Abort, type);
        Assert.Equal(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), AbortPdu.Decode(body));
        await AssertStillServesAsync(scp);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task RandomBytes_AbortOrCloseAndServerKeepsServing(int seed)
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { ArtimTimeout = TimeSpan.FromSeconds(2) });
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        var noise = new byte[4096];
        new Random(seed).NextBytes(noise);

        await peer.SendAsync(noise);
        var answer = await peer.ReadPduAsync(Wait);

        Assert.True(answer is null || answer.Value.Type is (byte)PduType.Abort or (byte)PduType.AssociateReject);
        await AssertStillServesAsync(scp);
    }

    [Theory]
    [InlineData(10, (byte)' ', AssociationRejectReasons.CalledAeTitleNotRecognized)]
    [InlineData(26, (byte)'\n', AssociationRejectReasons.CallingAeTitleNotRecognized)]
    public async Task AssociateRequestWithBlankAeTitle_RejectedNotRecognizedAndServerKeepsServing(int fieldOffset, byte filler, byte reason)
    {
        // Regression (fuzz target "pdu"): the SCP accepted a blank AE title and its A-ASSOCIATE-AC writer threw, dropping the
        // connection without an answer. PS3.8 §9.3.2: called AE at PDU offset 10, calling AE at 26, 16 bytes each.
        await using var scp = await LoopbackServer.StartAsync();
        var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        var request = Request();
        request.AsSpan(fieldOffset, 16).Fill(filler);

        await peer.SendAsync(request);
        var (type, body) = await ExpectPduAsync(peer);
        await peer.DisposeAsync(); // AE-8: after the RJ the SCP waits for the requestor to close.

        Assert.Equal((byte)PduType.AssociateReject, type);
        Assert.Equal(new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser, reason), AssociateRejectPdu.Decode(body));
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task PDataBeforeAssociation_AbortUnexpectedPduThenCloseAfterArtim()
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { ArtimTimeout = TimeSpan.FromSeconds(1) });
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);

        await peer.SendAsync(PduEncoder.ToArray(new PDataTfPdu([new PresentationDataValue(1, true, true, DimseCommand.EchoRequest(1).Encode())])));
        var (type, body) = await ExpectPduAsync(peer);

        Assert.Equal((byte)PduType.Abort, type);
        Assert.Equal(AbortReason.UnexpectedPdu, AbortPdu.Decode(body).Reason);
        Assert.True(await peer.WaitForCloseAsync(Wait));
    }

    [Fact]
    public async Task OversizedPData_AbortInvalidParameterBeforeBodyArrives()
    {
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { MaxPduLength = 16384 });
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        await peer.SendAsync(Request());
        Assert.Equal((byte)PduType.AssociateAccept, (await ExpectPduAsync(peer)).Type);

        await peer.SendAsync([0x04, 0x00, 0x10, 0x00, 0x00, 0x00]); // announces 256 MiB, sends nothing more
        var (type, body) = await ExpectPduAsync(peer);

        Assert.Equal((byte)PduType.Abort, type);
        Assert.Equal(AbortReason.InvalidPduParameterValue, AbortPdu.Decode(body).Reason);
    }

    [Fact]
    public async Task UnknownPduTypeAfterAssociation_AbortUnrecognizedPdu()
    {
        await using var scp = await LoopbackServer.StartAsync();
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        await peer.SendAsync(Request());
        await ExpectPduAsync(peer);

        await peer.SendAsync([0x09, 0x00, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0]);

        Assert.Equal(AbortReason.UnrecognizedPdu, AbortPdu.Decode((await ExpectPduAsync(peer)).Body).Reason);
    }

    [Fact]
    public async Task TruncatedRequestThenClose_ConnectionCleanedUp()
    {
        await using var scp = await LoopbackServer.StartAsync();
        await using (var peer = await RawPduPeer.ConnectAsync(scp.EndPoint))
        {
            await peer.SendAsync(Request()[..40]);
        }

        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task SlowPeerOneBytePerTick_ArtimClosesConnection()
    {
        var time = new FakeTimeProvider();
        var options = new DicomServerOptions { ArtimTimeout = TimeSpan.FromSeconds(30) };
        await using var scp = await LoopbackServer.StartAsync(options, time: time);
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        var request = Request();

        // One byte per (fake) second, never the whole request (an A-ASSOCIATE-RQ is at least 74 bytes): however late a
        // loaded machine runs the server's timer callback, the request stays incomplete and the fake clock keeps going.
        Assert.True(request.Length > 60);
        var closed = false;
        for (var i = 0; i < 200 && !closed; i++)
        {
            if (i < 60)
            {
                try
                {
                    await peer.SendAsync(request[i..(i + 1)]);
                }
                catch (IOException)
                {
                    closed = true; // the server closed (reset) before the last wait saw it
                    break;
                }
            }

            time.Advance(TimeSpan.FromSeconds(1));
            closed = await peer.WaitForCloseAsync(TimeSpan.FromMilliseconds(i < 60 ? 20 : 100));
        }

        Assert.True(closed, "ARTIM did not close a peer that trickles its A-ASSOCIATE-RQ");
    }

    [Fact]
    public async Task IdleAssociation_AbortedAfterIdleTimeout()
    {
        var time = new FakeTimeProvider();
        var options = new DicomServerOptions { IdleTimeout = TimeSpan.FromSeconds(60), ArtimTimeout = TimeSpan.FromSeconds(5) };
        await using var scp = await LoopbackServer.StartAsync(options, time: time);
        await using var peer = await RawPduPeer.ConnectAsync(scp.EndPoint);
        await peer.SendAsync(Request());
        await ExpectPduAsync(peer);

        (byte Type, byte[] Body)? abort = null;
        for (var i = 0; i < 100 && abort is null; i++)
        {
            time.Advance(TimeSpan.FromSeconds(61));
            abort = await peer.ReadPduAsync(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal((byte)PduType.Abort, abort?.Type);
    }

    [Fact]
    public async Task TwoHundredConnectionsAtOnce_EachAnsweredAndEstablishedAssociationKeepsWorking()
    {
        var options = new DicomServerOptions { Policy = new AssociationPolicyOptions { MaxAssociations = 8 } };
        await using var scp = await LoopbackServer.StartAsync(options);
        var verification = new PresentationContextRequest(1, SopClassUids.Verification, [TransferSyntaxUids.ImplicitVrLittleEndian]);
        await using var established = await DicomClientAssociation.OpenAsync(scp.Client(), [verification], null, CancellationToken.None);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var peers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => RawPduPeer.ConnectAsync(scp.EndPoint)));
        await Task.WhenAll(peers.Select(p => p.SendAsync(Request())));
        var answers = await Task.WhenAll(peers.Select(p => p.ReadPduAsync(TimeSpan.FromSeconds(30))));

        Assert.All(answers, a => Assert.True(a is { Type: (byte)PduType.AssociateAccept }
            || (a is { Type: (byte)PduType.AssociateReject } r && AssociateRejectPdu.Decode(r.Body)
                == new AssociateRejectPdu(AssociationRejectResult.Transient, AssociationRejectSource.ServiceProviderPresentation,
                    AssociationRejectReasons.LocalLimitExceeded))));
        Assert.True(answers.Count(a => a?.Type == (byte)PduType.AssociateAccept) <= 8);
        Assert.Equal(DimseStatus.Success, await established.EchoAsync(CancellationToken.None));
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 256L * 1024 * 1024);
        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }

        await established.ReleaseAsync(CancellationToken.None);
        await AssertStillServesAsync(scp);
    }
}
