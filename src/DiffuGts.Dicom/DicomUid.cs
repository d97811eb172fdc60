namespace DiffuGts.Dicom;

/// <summary>UID rules (PS3.5 §9.1) and shortcuts to the default <see cref="DicomUidGenerator"/> (2.25 UUID form).</summary>
public static class DicomUid
{
    /// <summary>PS3.5 §9.1: a UID is at most 64 characters.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// True for 1 to 64 characters of digits and dots, where every component is non-empty and has no leading zero unless it
    /// is exactly "0" (PS3.5 §9.1).
    /// </summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > MaxLength)
        {
            return false;
        }

        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0 || !component.All(char.IsAsciiDigit) || (component.Length > 1 && component[0] == '0'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new random 2.25 UID.</summary>
    public static string Generate() => DicomUidGenerator.Default.Generate();

    /// <summary>A deterministic 2.25 UID from the inputs; see <see cref="DicomUidGenerator.Derive"/>.</summary>
    public static string Derive(int algorithmVersion, params string[] inputs) => DicomUidGenerator.Default.Derive(algorithmVersion, inputs);
}
