using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network;

/// <summary>
/// A violation of the upper-layer protocol by the peer (bad PDU, unexpected PDU, oversized PDU). STYLE §9: the
/// association turns it into a service-provider A-ABORT carrying <see cref="AbortReason"/> (PS3.8 AA-8).
/// </summary>
public sealed class DicomProtocolException : Exception
{
    public DicomProtocolException()
        : this("DICOM upper-layer protocol violation")
    {
    }

    public DicomProtocolException(string message)
        : this(message, AbortReason.InvalidPduParameterValue)
    {
    }

    public DicomProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        AbortReason = AbortReason.InvalidPduParameterValue;
    }

    public DicomProtocolException(string message, AbortReason abortReason)
        : base(message)
    {
        AbortReason = abortReason;
    }

    public AbortReason AbortReason { get; }
}
