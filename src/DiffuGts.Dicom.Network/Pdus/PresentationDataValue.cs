namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// One PDV item of a P-DATA-TF (PS3.8 §9.3.5.1 and Annex E.2): item length (4), presentation context ID (1), message
/// control header (1: bit 0 command, bit 1 last fragment), then the fragment.
/// </summary>
public sealed record PresentationDataValue(byte ContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>Item length field (4) + context ID (1) + message control header (1).</summary>
    public const int Overhead = 6;

    public byte MessageControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLast ? 2 : 0));
}
