namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RJ source (PS3.8 Table 9-21).</summary>
public enum AssociationRejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}
