namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// A PDU that can be written: the 6-byte header (type, reserved, 4-byte big-endian length, PS3.8 §9.3.1) is written by
/// <see cref="PduEncoder"/>; the PDU writes only the variable part whose size is <see cref="BodyLength"/>.
/// </summary>
public interface IPdu
{
    PduType Type { get; }

    int BodyLength { get; }

    void WriteBody(Span<byte> destination);
}
