using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>
/// Acceptor-side presentation context negotiation (PS3.8 §9.3.3.2, PS3.7 Annex D.3.3.4), a pure function: for each
/// proposed context, reject it with reason 3 when we do not offer the abstract syntax, with reason 4 when none of its
/// transfer syntaxes is ours, else accept the proposed syntax that comes first in our preference order.
/// </summary>
public static class PresentationContextNegotiator
{
    public static NegotiationResult Negotiate(
        IReadOnlyList<PresentationContextRequest> proposed, IReadOnlyList<RoleSelection> proposedRoles, NegotiationOptions options)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(proposedRoles);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<PresentationContextResult>(proposed.Count);
        foreach (var pc in proposed)
        {
            if (!Offers(options, pc.AbstractSyntax))
            {
                results.Add(new(pc.Id, PresentationContextResultReason.AbstractSyntaxNotSupported, pc.TransferSyntaxes[0]));
                continue;
            }

            var chosen = options.TransferSyntaxes.FirstOrDefault(ts => pc.TransferSyntaxes.Contains(ts, StringComparer.Ordinal));
            results.Add(chosen is null
                ? new(pc.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, pc.TransferSyntaxes[0])
                : new(pc.Id, PresentationContextResultReason.Acceptance, chosen));
        }

        // Role selection (PS3.7 D.3.3.4): we accept the requestor as SCU of what we offer and never act as SCU ourselves.
        var roles = proposedRoles
            .Where(r => Offers(options, r.SopClassUid))
            .Select(r => new RoleSelection(r.SopClassUid, ScuRole: r.ScuRole, ScpRole: false))
            .ToList();
        return new NegotiationResult(results, roles);
    }

    private static bool Offers(NegotiationOptions options, string sopClass) =>
        sopClass == SopClassUids.Verification || options.StorageSopClasses.Contains(sopClass, StringComparer.Ordinal);
}
