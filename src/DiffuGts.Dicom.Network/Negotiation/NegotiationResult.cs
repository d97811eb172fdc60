using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>The answer to every proposed context (dicom-facts §6.4: the AC answers each one) plus role selection replies.</summary>
public sealed record NegotiationResult(IReadOnlyList<PresentationContextResult> Contexts, IReadOnlyList<RoleSelection> RoleSelections)
{
    public int AcceptedCount => Contexts.Count(c => c.IsAccepted);
}
