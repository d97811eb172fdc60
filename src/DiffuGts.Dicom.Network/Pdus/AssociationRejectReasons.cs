namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-RJ reason/diag values (PS3.8 Table 9-21). The meaning depends on the source, so these are constants
/// grouped by source rather than one enum.
/// </summary>
public static class AssociationRejectReasons
{
    /// <summary>Source 1 (service user).</summary>
    public const byte NoReasonGiven = 1;

    public const byte ApplicationContextNameNotSupported = 2;
    public const byte CallingAeTitleNotRecognized = 3;
    public const byte CalledAeTitleNotRecognized = 7;

    /// <summary>Source 2 (ACSE service provider).</summary>
    public const byte ProtocolVersionNotSupported = 2;

    /// <summary>Source 3 (presentation service provider).</summary>
    public const byte TemporaryCongestion = 1;

    public const byte LocalLimitExceeded = 2;

    /// <summary>Text for logs and exceptions.</summary>
    public static string Describe(AssociationRejectSource source, byte reason) => (source, reason) switch
    {
        (AssociationRejectSource.ServiceUser, NoReasonGiven) => "no reason given",
        (AssociationRejectSource.ServiceUser, ApplicationContextNameNotSupported) => "application context name not supported",
        (AssociationRejectSource.ServiceUser, CallingAeTitleNotRecognized) => "calling AE title not recognised",
        (AssociationRejectSource.ServiceUser, CalledAeTitleNotRecognized) => "called AE title not recognised",
        (AssociationRejectSource.ServiceProviderAcse, NoReasonGiven) => "no reason given (ACSE)",
        (AssociationRejectSource.ServiceProviderAcse, ProtocolVersionNotSupported) => "protocol version not supported",
        (AssociationRejectSource.ServiceProviderPresentation, TemporaryCongestion) => "temporary congestion",
        (AssociationRejectSource.ServiceProviderPresentation, LocalLimitExceeded) => "local limit exceeded",
        _ => $"reason {reason}",
    };
}
