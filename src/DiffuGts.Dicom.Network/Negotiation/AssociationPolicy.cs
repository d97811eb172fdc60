using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>
/// Whether to accept an association: a pure function of the request facts and the options (STYLE §4). Checks run from
/// the most permanent to the most transient, so a peer that is never welcome hears "permanent" and does not retry.
/// </summary>
public static class AssociationPolicy
{
    public static AssociationDecision Evaluate(AssociationRequestFacts facts, AssociationPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);

        if ((facts.ProtocolVersion & 1) == 0)
        {
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceProviderAcse,
                AssociationRejectReasons.ProtocolVersionNotSupported, $"protocol version 0x{facts.ProtocolVersion:x4} lacks bit 0");
        }

        if (facts.ApplicationContextName != AssociatePduLayout.DicomApplicationContext)
        {
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.ApplicationContextNameNotSupported, $"application context {facts.ApplicationContextName}");
        }

        // An AE title that is blank or holds control characters (PS3.5 VR AE) is not recognised either; answering it
        // with an A-ASSOCIATE-AC would echo an AE title that cannot be written back (found by the "pdu" fuzz target).
        if (!PduFormat.IsValidAeTitle(facts.CalledAeTitle)
            || (options.CalledAeTitles.Count > 0 && !options.CalledAeTitles.Contains(facts.CalledAeTitle, StringComparer.Ordinal)))
        {
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.CalledAeTitleNotRecognized, $"called AE '{facts.CalledAeTitle}' is not ours");
        }

        if (!PduFormat.IsValidAeTitle(facts.CallingAeTitle)
            || (options.AcceptedCallingAeTitles.Count > 0
                && !options.AcceptedCallingAeTitles.Contains(facts.CallingAeTitle, StringComparer.Ordinal)))
        {
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.CallingAeTitleNotRecognized, $"calling AE '{facts.CallingAeTitle}' is not allowed");
        }

        var address = facts.RemoteAddress.IsIPv4MappedToIPv6 ? facts.RemoteAddress.MapToIPv4() : facts.RemoteAddress;
        if (options.AcceptedSourceAddresses.Count > 0 && !options.AcceptedSourceAddresses.Contains(address))
        {
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.NoReasonGiven, $"source address {address} is not allowed");
        }

        if (facts.ActiveAssociations >= options.MaxAssociations)
        {
            return AssociationDecision.Reject(AssociationRejectResult.Transient, AssociationRejectSource.ServiceProviderPresentation,
                AssociationRejectReasons.LocalLimitExceeded, $"{facts.ActiveAssociations} associations open, limit {options.MaxAssociations}");
        }

        if (facts.DiskPressure)
        {
            return AssociationDecision.Reject(AssociationRejectResult.Transient, AssociationRejectSource.ServiceProviderPresentation,
                AssociationRejectReasons.TemporaryCongestion, "disk pressure");
        }

        if (facts.AcceptedContexts == 0)
        {
            // dicom-facts §2.8 / §6.5: reject (1, 1, 1) rather than accept with no usable context.
            return AssociationDecision.Reject(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
                AssociationRejectReasons.NoReasonGiven, "no acceptable presentation context");
        }

        return AssociationDecision.Accept;
    }
}
