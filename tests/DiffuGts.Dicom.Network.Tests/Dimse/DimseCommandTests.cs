using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Tests.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Dimse;

public sealed class DimseCommandTests
{
    [Fact]
    public void Encode_EchoRequest_MatchesFactsVector()
    {
        var bytes = DimseCommand.EchoRequest(1).Encode();

        Assert.Equal(68, bytes.Length);
        Assert.Equal(GoldenVectors.Bytes(GoldenVectors.EchoRequestCommand), bytes);
    }

    [Fact]
    public void Encode_EchoResponse_MatchesFactsDescription()
    {
        var bytes = DimseCommand.EchoResponse(DimseCommand.EchoRequest(1), DimseStatus.Success).Encode();

        Assert.Equal(0x42, bytes[8]);
        Assert.Equal(12 + 0x42, bytes.Length);
        Assert.Equal(GoldenVectors.Bytes("00 00 00 01 02 00 00 00 30 80"), bytes[38..48]);
        Assert.Equal(GoldenVectors.Bytes("00 00 20 01 02 00 00 00 01 00 00 00 00 08 02 00 00 00 01 01 00 00 00 09 02 00 00 00 00 00"), bytes[48..]);
    }

    [Fact]
    public void RoundTrip_StoreRequestWithMoveOriginator_KeepsEveryField()
    {
        var rq = DimseCommand.StoreRequest(7, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.45", DimsePriority.High, "MOVER", 42);

        var bytes = rq.Encode();
        var decoded = DimseCommand.Decode(bytes);

        Assert.Equal(rq, decoded);
        Assert.True(decoded.HasDataSet);
        Assert.Equal(0, bytes.Length % 2);
    }

    [Fact]
    public void RoundTrip_StoreResponseFailure_KeepsStatusCommentAndOffendingElements()
    {
        var rsp = DimseCommand.StoreResponse(DimseCommand.StoreRequest(3, "1.2", "1.2.3"), DimseStatus.CannotUnderstand, "bad pixel data") with
        {
            OffendingElements = [0x7FE00010u],
        };

        var decoded = DimseCommand.Decode(rsp.Encode());

        Assert.Equal(rsp.Status, decoded.Status);
        Assert.Equal("bad pixel data", decoded.ErrorComment);
        Assert.Equal([0x7FE00010u], decoded.OffendingElements);
        Assert.Equal((ushort)3, decoded.MessageIdBeingRespondedTo);
        Assert.Equal("1.2.3", decoded.AffectedSopInstanceUid);
    }

    [Fact]
    public void Decode_TruncatedElement_ProtocolException() =>
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(DimseCommand.EchoRequest(1).Encode().AsSpan(0, 30)));

    [Theory]
    [InlineData(0x0000, StatusCategory.Success, true)]
    [InlineData(0xB000, StatusCategory.Warning, true)]
    [InlineData(0xB007, StatusCategory.Warning, true)]
    [InlineData(0xB006, StatusCategory.Warning, true)]
    [InlineData(0xA700, StatusCategory.Failure, false)]
    [InlineData(0xA7FF, StatusCategory.Failure, false)]
    [InlineData(0xA900, StatusCategory.Failure, false)]
    [InlineData(0xC123, StatusCategory.Failure, false)]
    [InlineData(0x0122, StatusCategory.Failure, false)]
    [InlineData(0x0211, StatusCategory.Failure, false)]
    [InlineData(0xFE00, StatusCategory.Cancel, false)]
    [InlineData(0xFF00, StatusCategory.Pending, false)]
    public void Category_StatusCode_FollowsPs37AnnexC(int code, StatusCategory category, bool stored)
    {
        var status = new DimseStatus((ushort)code);

        Assert.Equal(category, status.Category);
        Assert.Equal(stored, status.IsStored);
    }
}
