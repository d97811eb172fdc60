using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>Accept, or Reject with the A-ASSOCIATE-RJ result, source and reason (PS3.8 Table 9-21) and a log text.</summary>
public sealed record AssociationDecision(
    bool IsAccepted, AssociationRejectResult Result, AssociationRejectSource Source, byte Reason, string Explanation)
{
    public static AssociationDecision Accept { get; } = new(true, 0, 0, 0, "accepted");

    public static AssociationDecision Reject(AssociationRejectResult result, AssociationRejectSource source, byte reason, string explanation) =>
        new(false, result, source, reason, explanation);

    public AssociateRejectPdu ToPdu() => IsAccepted
        ? throw new InvalidOperationException("an accepted association has no A-ASSOCIATE-RJ")
        : new AssociateRejectPdu(Result, Source, Reason);
}
