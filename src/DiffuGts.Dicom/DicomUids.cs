namespace DiffuGts.Dicom;

/// <summary>Well-known UIDs of PS3.6 Annex A that the node uses (transfer syntaxes are on <see cref="DicomTransferSyntax"/>).</summary>
public static class DicomUids
{
    /// <summary>DiffuGts Implementation Class UID (PS3.7 D.3.3.2), a fixed 2.25 UUID-derived UID (PS3.5 Annex B.2).</summary>
    public const string ImplementationClassUid = "2.25.192921916797122770300428668943120748395";

    /// <summary>Implementation Version Name (SH, at most 16 characters).</summary>
    public const string ImplementationVersionName = "DIFFUGTS_0_1";

    public const string Verification = "1.2.840.10008.1.1";
    public const string ApplicationContextName = "1.2.840.10008.3.1.1.1";
    public const string CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string EnhancedCTImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";
    public const string MRImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public const string EnhancedMRImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    public const string MultiFrameGrayscaleByteSecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7.2";
    public const string MultiFrameGrayscaleWordSecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7.3";
    public const string MultiFrameTrueColorSecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7.4";
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
}
