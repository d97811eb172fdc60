using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Negotiation;

public sealed class PresentationContextNegotiatorTests
{
    private const string Implicit = TransferSyntaxUids.ImplicitVrLittleEndian;
    private const string Explicit = TransferSyntaxUids.ExplicitVrLittleEndian;
    private const string Jpeg2000 = "1.2.840.10008.1.2.4.90";

    [Fact]
    public void Negotiate_MixedProposal_AnswersEveryContextWithItsReason()
    {
        PresentationContextRequest[] proposed =
        [
            new(1, SopClassUids.CtImageStorage, [Implicit, Explicit]),
            new(3, SopClassUids.MrImageStorage, [Jpeg2000]),
            new(5, "1.2.840.10008.5.1.4.1.1.481.3", [Explicit]),
            new(7, SopClassUids.Verification, [Implicit]),
            new(9, SopClassUids.CtImageStorage, [TransferSyntaxUids.ExplicitVrBigEndian]),
        ];

        var result = PresentationContextNegotiator.Negotiate(proposed, [], new NegotiationOptions());

        Assert.Equal(
        [
            new PresentationContextResult(1, PresentationContextResultReason.Acceptance, Explicit),
            new PresentationContextResult(3, PresentationContextResultReason.TransferSyntaxesNotSupported, Jpeg2000),
            new PresentationContextResult(5, PresentationContextResultReason.AbstractSyntaxNotSupported, Explicit),
            new PresentationContextResult(7, PresentationContextResultReason.Acceptance, Implicit),
            new PresentationContextResult(9, PresentationContextResultReason.Acceptance, TransferSyntaxUids.ExplicitVrBigEndian),
        ], result.Contexts);
        Assert.Equal(3, result.AcceptedCount);
    }

    [Fact]
    public void Negotiate_ConfiguredListWithoutMr_RejectsMrAbstractSyntax()
    {
        var options = new NegotiationOptions { StorageSopClasses = [SopClassUids.CtImageStorage] };

        var result = PresentationContextNegotiator.Negotiate([new(1, SopClassUids.MrImageStorage, [Explicit])], [], options);

        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, Assert.Single(result.Contexts).Result);
    }

    [Fact]
    public void Negotiate_RoleSelection_AcceptsScuRefusesScpForOfferedClassesOnly()
    {
        RoleSelection[] roles = [new(SopClassUids.CtImageStorage, true, true), new("1.2.3.4", true, true)];

        var result = PresentationContextNegotiator.Negotiate([new(1, SopClassUids.CtImageStorage, [Explicit])], roles, new NegotiationOptions());

        Assert.Equal([new RoleSelection(SopClassUids.CtImageStorage, ScuRole: true, ScpRole: false)], result.RoleSelections);
    }
}
