namespace DiffuGts.Dicom.Network;

/// <summary>
/// Our Implementation Class UID and Version Name (PS3.7 Annex D.3.3.2). The UID is a UUID-derived UID under the
/// 2.25 arc (PS3.5 Annex B.2), so it needs no registered root.
/// </summary>
public static class Implementation
{
    public const string ClassUid = "2.25.278953132575580122199069772474468272334";

    public const string VersionName = "DIFFUGTS_010";
}
