using System.Buffers;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A PDU as read from the wire: its type and a view of its body, valid until the next read.</summary>
public readonly record struct ReceivedPdu(PduType Type, ReadOnlySequence<byte> Body)
{
    /// <summary>Decodes a non-P-DATA PDU into its message type (small PDUs: the body is copied once if fragmented).</summary>
    public IPdu Decode()
    {
        var body = Body.IsSingleSegment ? Body.FirstSpan : Body.ToArray();
        return Type switch
        {
            PduType.AssociateRequest => AssociateRequestPdu.Decode(body),
            PduType.AssociateAccept => AssociateAcceptPdu.Decode(body),
            PduType.AssociateReject => AssociateRejectPdu.Decode(body),
            PduType.PData => PDataTfPdu.Decode(Body),
            PduType.ReleaseRequest => ReleaseRequestPdu.Decode(body),
            PduType.ReleaseResponse => ReleaseResponsePdu.Decode(body),
            PduType.Abort => AbortPdu.Decode(body),
            _ => throw new DicomProtocolException($"unrecognised PDU type 0x{(byte)Type:x2}", AbortReason.UnrecognizedPdu),
        };
    }
}
