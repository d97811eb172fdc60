namespace DiffuGts.Dicom;

/// <summary>
/// A Person Name (PN) value (PS3.5 §6.2.1): up to three component groups separated by '=' (alphabetic, ideographic,
/// phonetic), each with five components separated by '^': family name, given name, middle name, prefix, suffix.
/// </summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic = "", string Phonetic = "")
{
    private const char GroupSeparator = '=';
    private const char ComponentSeparator = '^';

    public string FamilyName => Component(Alphabetic, 0);

    public string GivenName => Component(Alphabetic, 1);

    public string MiddleName => Component(Alphabetic, 2);

    public string NamePrefix => Component(Alphabetic, 3);

    public string NameSuffix => Component(Alphabetic, 4);

    /// <summary>Builds an alphabetic group from its components, dropping empty trailing components (PS3.5 §6.2.1.1).</summary>
    public static DicomPersonName FromComponents(string familyName, string givenName = "", string middleName = "", string namePrefix = "",
        string nameSuffix = "")
    {
        string[] parts = [familyName, givenName, middleName, namePrefix, nameSuffix];
        var last = Array.FindLastIndex(parts, p => p.Length > 0);
        return new DicomPersonName(string.Join(ComponentSeparator, parts[..(last + 1)]));
    }

    public static DicomPersonName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var groups = value.Split(GroupSeparator);
        return new DicomPersonName(groups[0], groups.Length > 1 ? groups[1] : "", groups.Length > 2 ? groups[2] : "");
    }

    /// <summary>The encoded value, without empty trailing groups.</summary>
    public override string ToString()
    {
        if (Phonetic.Length > 0)
        {
            return $"{Alphabetic}={Ideographic}={Phonetic}";
        }

        return Ideographic.Length > 0 ? $"{Alphabetic}={Ideographic}" : Alphabetic;
    }

    private static string Component(string group, int index)
    {
        var parts = group.Split(ComponentSeparator);
        return index < parts.Length ? parts[index] : "";
    }
}
