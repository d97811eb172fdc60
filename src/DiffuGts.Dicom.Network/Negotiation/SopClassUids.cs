namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>SOP class UIDs of the services the node offers (PS3.4 Annex A and B; dicom-facts §1.1).</summary>
public static class SopClassUids
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string EnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public const string EnhancedMrImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>The default storage SOP classes accepted by the SCP (configurable through <see cref="NegotiationOptions"/>).</summary>
    public static IReadOnlyList<string> DefaultStorage { get; } =
    [
        CtImageStorage,
        EnhancedCtImageStorage,
        MrImageStorage,
        EnhancedMrImageStorage,
        SecondaryCaptureImageStorage,
        SegmentationStorage,
    ];
}
