namespace DiffuGts.Dicom.Network.Dimse;

/// <summary>Status classes of PS3.7 Annex C.</summary>
public enum StatusCategory
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}
