namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>Result/Reason of a Presentation Context AC item (PS3.8 Table 9-18).</summary>
public enum PresentationContextResultReason : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}
