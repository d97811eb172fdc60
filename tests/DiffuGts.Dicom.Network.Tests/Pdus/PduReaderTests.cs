using System.IO.Pipelines;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Pdus;

public sealed class PduReaderTests
{
    private static async Task<(Pipe Pipe, PduReader Reader)> FedAsync(byte[] bytes, bool complete, uint maxPData = 16384)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        if (complete)
        {
            await pipe.Writer.CompleteAsync();
        }

        return (pipe, new PduReader(pipe.Reader, maxPData));
    }

    [Fact]
    public async Task ReadAsync_TwoPdusInOneSegment_ReturnsBothThenNull()
    {
        var bytes = GoldenVectors.Bytes(GoldenVectors.AssociateRequest).Concat(GoldenVectors.Bytes(GoldenVectors.ReleaseRequest)).ToArray();
        var (_, reader) = await FedAsync(bytes, complete: true);

        var first = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(PduType.AssociateRequest, first?.Type);
        Assert.Equal("STORESCP", ((AssociateRequestPdu)first!.Value.Decode()).CalledAeTitle);
        Assert.Equal(PduType.ReleaseRequest, (await reader.ReadAsync(CancellationToken.None))?.Type);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_PDataLongerThanAnnounced_RefusedFromHeaderAlone()
    {
        // Only the 6-byte header of a 1 GiB P-DATA-TF arrives; the reader must refuse it without waiting for the body.
        var (_, reader) = await FedAsync(GoldenVectors.Bytes("04 00 40 00 00 00"), complete: false, maxPData: 16384);

        var ex = await Assert.ThrowsAsync<DicomProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(AbortReason.InvalidPduParameterValue, ex.AbortReason);
        Assert.Equal(0, reader.BufferedBodyLength);
    }

    [Theory]
    [InlineData("47 45 54 20 2f 20")] // "GET / " – an HTTP request on the DICOM port
    [InlineData("00 00 00 00 00 04")]
    [InlineData("08 00 00 00 00 04")]
    public async Task ReadAsync_UnknownPduType_UnrecognizedPdu(string hex)
    {
        var (_, reader) = await FedAsync(GoldenVectors.Bytes(hex), complete: false);

        var ex = await Assert.ThrowsAsync<DicomProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(AbortReason.UnrecognizedPdu, ex.AbortReason);
    }

    [Fact]
    public async Task ReadAsync_ReleaseRequestWithWrongLength_Refused()
    {
        var (_, reader) = await FedAsync(GoldenVectors.Bytes("05 00 00 00 00 08 00 00 00 00 00 00 00 00"), complete: true);

        await Assert.ThrowsAsync<DicomProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ConnectionClosedInsidePdu_EndOfStream()
    {
        var (_, reader) = await FedAsync(GoldenVectors.Bytes(GoldenVectors.AssociateRequest)[..100], complete: true);

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_PduArrivingByteByByte_Assembled()
    {
        var pipe = new Pipe();
        var reader = new PduReader(pipe.Reader, 16384);
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        foreach (var b in GoldenVectors.Bytes(GoldenVectors.AbortInvalidParameter))
        {
            Assert.False(read.IsCompleted);
            await pipe.Writer.WriteAsync(new[] { b });
        }

        var pdu = await read;

        Assert.Equal(new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue), pdu!.Value.Decode());
    }
}
