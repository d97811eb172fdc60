using System.Net;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Negotiation;

/// <summary>The acceptance decision as a table (STYLE §4): one row per rule, in the order they are checked.</summary>
public sealed class AssociationPolicyTests
{
    private static readonly AssociationPolicyOptions Options = new()
    {
        CalledAeTitles = ["DIFFUGTS"],
        AcceptedCallingAeTitles = ["CT01", "MR01"],
        AcceptedSourceAddresses = [IPAddress.Loopback],
        MaxAssociations = 2,
    };

    private static AssociationRequestFacts Facts() => new()
    {
        CalledAeTitle = "DIFFUGTS",
        CallingAeTitle = "CT01",
        RemoteAddress = IPAddress.Loopback,
        ProtocolVersion = 1,
        ApplicationContextName = "1.2.840.10008.3.1.1.1",
        ActiveAssociations = 0,
        AcceptedContexts = 1,
    };

    public static TheoryData<string, AssociationRequestFacts, bool, int, int, int> Rows() => new()
    {
        { "all good", Facts(), true, 0, 0, 0 },
        { "protocol version 2 only", Facts() with { ProtocolVersion = 2 }, false, 1, 2, 2 },
        { "foreign application context", Facts() with { ApplicationContextName = "1.2.3" }, false, 1, 1, 2 },
        { "called AE not ours", Facts() with { CalledAeTitle = "OTHER" }, false, 1, 1, 7 },
        { "calling AE not allowed", Facts() with { CallingAeTitle = "EVIL" }, false, 1, 1, 3 },
        { "source IP not allowed", Facts() with { RemoteAddress = IPAddress.Parse("10.1.2.3") }, false, 1, 1, 1 },
        { "IPv4-mapped loopback allowed", Facts() with { RemoteAddress = IPAddress.Loopback.MapToIPv6() }, true, 0, 0, 0 },
        { "association cap reached", Facts() with { ActiveAssociations = 2 }, false, 2, 3, 2 },
        { "disk pressure", Facts() with { DiskPressure = true }, false, 2, 3, 1 },
        { "no acceptable context", Facts() with { AcceptedContexts = 0 }, false, 1, 1, 1 },
        { "called AE wrong beats cap", Facts() with { CalledAeTitle = "X", ActiveAssociations = 9 }, false, 1, 1, 7 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_Row_GivesExpectedDecision(string row, AssociationRequestFacts facts, bool accepted, int result, int source, int reason)
    {
        var decision = AssociationPolicy.Evaluate(facts, Options);

        Assert.True(accepted == decision.IsAccepted, row);
        if (!accepted)
        {
            Assert.Equal(new AssociateRejectPdu((AssociationRejectResult)result, (AssociationRejectSource)source, (byte)reason), decision.ToPdu());
        }
    }

    [Theory]
    [InlineData("                ", "CT01", 7)]
    [InlineData("\n", "CT01", 7)]
    [InlineData("A\\B", "CT01", 7)]
    [InlineData("DIFFUGTS", "", 3)]
    [InlineData("DIFFUGTS", "CT\u000101", 3)]
    public void Evaluate_InvalidAeTitleWithEmptyAllowLists_RejectedAsNotRecognized(string called, string calling, int reason)
    {
        // Regression (fuzz target "pdu"): a blank AE title used to be accepted, and writing it back in the A-ASSOCIATE-AC threw.
        var decision = AssociationPolicy.Evaluate(Facts() with { CalledAeTitle = called, CallingAeTitle = calling }, new AssociationPolicyOptions());

        Assert.Equal(new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser, (byte)reason), decision.ToPdu());
    }

    [Fact]
    public void Evaluate_EmptyAllowLists_AcceptsAnyone()
    {
        var decision = AssociationPolicy.Evaluate(
            Facts() with { CalledAeTitle = "ANY", CallingAeTitle = "WHO", RemoteAddress = IPAddress.Parse("192.0.2.7") },
            new AssociationPolicyOptions());

        Assert.True(decision.IsAccepted);
    }
}
