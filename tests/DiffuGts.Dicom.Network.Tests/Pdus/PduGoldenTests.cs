using System.Buffers;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Pdus;

/// <summary>Round-trip and golden layer (STYLE §8.2): our encoder and decoder against dicom-facts §2.9.</summary>
public sealed class PduGoldenTests
{
    private static AssociateRequestPdu FactsRequest() => new()
    {
        CalledAeTitle = "STORESCP",
        CallingAeTitle = "AINODE",
        PresentationContexts = [new PresentationContextRequest(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])],
        UserInformation = new UserInformation
        {
            MaxPduLength = 16384,
            ImplementationClassUid = "1.2.3.4",
            ImplementationVersionName = "AINODE_1",
        },
    };

    [Fact]
    public void Encode_AssociateRequest_MatchesFactsVector()
    {
        var bytes = PduEncoder.ToArray(FactsRequest());

        Assert.Equal(184, bytes.Length);
        Assert.Equal(Convert.ToHexString(GoldenVectors.Bytes(GoldenVectors.AssociateRequest)), Convert.ToHexString(bytes));
    }

    [Fact]
    public void Decode_AssociateRequestVector_ReturnsEveryField()
    {
        var rq = AssociateRequestPdu.Decode(GoldenVectors.Bytes(GoldenVectors.AssociateRequest).AsSpan(6));

        Assert.Equal("STORESCP", rq.CalledAeTitle);
        Assert.Equal("AINODE", rq.CallingAeTitle);
        Assert.Equal("1.2.840.10008.3.1.1.1", rq.ApplicationContextName);
        var pc = Assert.Single(rq.PresentationContexts);
        Assert.Equal(1, pc.Id);
        Assert.Equal("1.2.840.10008.1.1", pc.AbstractSyntax);
        Assert.Equal(["1.2.840.10008.1.2"], pc.TransferSyntaxes);
        Assert.Equal(16384u, rq.UserInformation.MaxPduLength);
        Assert.Equal("1.2.3.4", rq.UserInformation.ImplementationClassUid);
        Assert.Equal("AINODE_1", rq.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public void Encode_AssociateAccept_MatchesFactsVector()
    {
        var ac = new AssociateAcceptPdu
        {
            CalledAeTitle = "STORESCP",
            CallingAeTitle = "AINODE",
            PresentationContexts = [new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2")],
            UserInformation = FactsRequest().UserInformation,
        };

        var bytes = PduEncoder.ToArray(ac);

        Assert.Equal(163, bytes.Length);
        Assert.Equal(0x9d, bytes[5]);
        Assert.Equal(Convert.ToHexString(GoldenVectors.AssociateAccept()), Convert.ToHexString(bytes));
        var decoded = AssociateAcceptPdu.Decode(bytes.AsSpan(6));
        Assert.True(Assert.Single(decoded.PresentationContexts).IsAccepted);
    }

    [Theory]
    [InlineData(GoldenVectors.ReleaseRequest)]
    [InlineData(GoldenVectors.AbortInvalidParameter)]
    [InlineData(GoldenVectors.RejectCalledAe)]
    public void Encode_ShortPdus_MatchFactsVectors(string hex)
    {
        IPdu pdu = hex switch
        {
            GoldenVectors.ReleaseRequest => ReleaseRequestPdu.Instance,
            GoldenVectors.AbortInvalidParameter => new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue),
            _ => new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.CalledAeTitleNotRecognized),
        };

        var bytes = PduEncoder.ToArray(pdu);

        Assert.Equal(GoldenVectors.Bytes(hex), bytes);
        Assert.Equal(pdu, new ReceivedPdu((PduType)bytes[0], new ReadOnlySequence<byte>(bytes, 6, 4)).Decode());
    }

    [Fact]
    public void RoundTrip_AllUserInformationSubItems_Preserved()
    {
        var rq = FactsRequest() with
        {
            PresentationContexts =
            [
                new PresentationContextRequest(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
                new PresentationContextRequest(3, "1.2.840.10008.5.1.4.1.1.4", ["1.2.840.10008.1.2.2"]),
            ],
            UserInformation = new UserInformation
            {
                MaxPduLength = 131072,
                ImplementationClassUid = "1.2.826.0.1.3680043.10.1",
                ImplementationVersionName = "DIFFUGTS_01",
                AsyncOperations = new AsyncOperationsWindow(4, 0),
                RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", ScuRole: true, ScpRole: false)],
                UserIdentity = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "s3cret"u8.ToArray()),
            },
        };

        var bytes = PduEncoder.ToArray(rq);
        var decoded = AssociateRequestPdu.Decode(bytes.AsSpan(6));

        Assert.Equal(bytes.Length - 6, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2)));
        Assert.Equal(2, decoded.PresentationContexts.Count);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], decoded.PresentationContexts[0].TransferSyntaxes);
        var info = decoded.UserInformation;
        Assert.Equal(131072u, info.MaxPduLength);
        Assert.Equal("DIFFUGTS_01", info.ImplementationVersionName);
        Assert.Equal(new AsyncOperationsWindow(4, 0), info.AsyncOperations);
        Assert.Equal(rq.UserInformation.RoleSelections, info.RoleSelections);
        Assert.NotNull(info.UserIdentity);
        Assert.Equal(UserIdentityType.UsernameAndPasscode, info.UserIdentity.IdentityType);
        Assert.Equal("alice"u8.ToArray(), info.UserIdentity.PrimaryField.ToArray());
        Assert.Equal("s3cret"u8.ToArray(), info.UserIdentity.SecondaryField.ToArray());
    }

    [Fact]
    public void RoundTrip_AcceptWithUserIdentityResponseAndRejectedContext_Preserved()
    {
        var ac = new AssociateAcceptPdu
        {
            CalledAeTitle = "NODE",
            CallingAeTitle = "MODALITY",
            PresentationContexts =
            [
                new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2.1"),
                new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, "1.2.840.10008.1.2"),
            ],
            UserInformation = new UserInformation
            {
                MaxPduLength = 0,
                ImplementationClassUid = "1.2.3",
                UserIdentityResponse = "ok"u8.ToArray(),
                RoleSelections = [new RoleSelection("1.2.840.10008.1.1", true, false)],
            },
        };

        var decoded = AssociateAcceptPdu.Decode(PduEncoder.ToArray(ac).AsSpan(6));

        Assert.Equal(ac.PresentationContexts, decoded.PresentationContexts);
        Assert.Equal("ok"u8.ToArray(), decoded.UserInformation.UserIdentityResponse?.ToArray());
        Assert.Equal(ac.UserInformation.RoleSelections, decoded.UserInformation.RoleSelections);
    }

    [Fact]
    public void Decode_UidWithTrailingNulAndUnknownSubItem_ToleratedAndIgnored()
    {
        var bytes = GoldenVectors.Bytes(GoldenVectors.AssociateRequest).ToList();
        // Append an unknown sub-item 0x5F to the user information item and pad the implementation UID with a NUL.
        var userInfoStart = 74 + 4 + 21 + 4 + 0x2e;
        bytes.AddRange([0x5F, 0x00, 0x00, 0x01, 0xAA]);
        bytes[userInfoStart + 3] += 5;
        bytes[5] += 5;

        var rq = AssociateRequestPdu.Decode(bytes.ToArray().AsSpan(6));

        Assert.Equal("1.2.3.4", rq.UserInformation.ImplementationClassUid);
    }

    [Fact]
    public void Decode_TruncatedItem_ThrowsProtocolExceptionWithInvalidParameter()
    {
        var bytes = GoldenVectors.Bytes(GoldenVectors.AssociateRequest)[..150];

        var ex = Assert.Throws<DicomProtocolException>(() => AssociateRequestPdu.Decode(bytes.AsSpan(6)));

        Assert.Equal(AbortReason.InvalidPduParameterValue, ex.AbortReason);
    }

    [Fact]
    public void PData_EchoCommandWrapped_MatchesFactsVector()
    {
        var command = GoldenVectors.Bytes(GoldenVectors.EchoRequestCommand);
        var pdu = new PDataTfPdu([new PresentationDataValue(1, IsCommand: true, IsLast: true, command)]);

        var bytes = PduEncoder.ToArray(pdu);

        Assert.Equal(80, bytes.Length);
        Assert.Equal(GoldenVectors.Bytes("04 00 00 00 00 4a 00 00 00 46 01 03"), bytes[..12]);
        var decoded = PDataTfPdu.Decode(new ReadOnlySequence<byte>(bytes, 6, bytes.Length - 6));
        Assert.Equal(command, Assert.Single(decoded.Values).Data.ToArray());
    }

    [Fact]
    public void PData_ItemLengthBeyondPdu_ThrowsProtocolException()
    {
        var body = GoldenVectors.Bytes("00 00 00 10 01 03 00 00");

        Assert.Throws<DicomProtocolException>(() => PDataTfPdu.Decode(new ReadOnlySequence<byte>(body)));
    }
}
