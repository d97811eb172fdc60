namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>User Identity Type of the 0x58 sub-item (PS3.7 Annex D.3.3.7).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    Kerberos = 3,
    Saml = 4,
    Jwt = 5,
}
