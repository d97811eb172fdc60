namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>The seven PDU types of the DICOM upper layer (PS3.8 §9.3.1, Table 9-11 onwards).</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    PData = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}
