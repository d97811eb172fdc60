namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RJ result (PS3.8 Table 9-21).</summary>
public enum AssociationRejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}
