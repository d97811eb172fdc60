namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>Transfer syntax UIDs the network layer negotiates (PS3.5 Annex A; dicom-facts §1.1).</summary>
public static class TransferSyntaxUids
{
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";
    public const string RleLossless = "1.2.840.10008.1.2.5";
    public const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";

    /// <summary>
    /// What the SCP accepts, most preferred first: Explicit VR LE first (dicom-facts §2.8), then the other uncompressed
    /// syntaxes, then the compressed ones the project can decode (deflate, RLE, JPEG lossless).
    /// </summary>
    public static IReadOnlyList<string> AcceptorPreference { get; } =
    [
        ExplicitVrLittleEndian,
        ImplicitVrLittleEndian,
        ExplicitVrBigEndian,
        DeflatedExplicitVrLittleEndian,
        RleLossless,
        JpegLosslessSv1,
        JpegLossless,
    ];
}
