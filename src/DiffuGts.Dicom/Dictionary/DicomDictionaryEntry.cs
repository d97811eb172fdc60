namespace DiffuGts.Dicom.Dictionary;

/// <summary>
/// One row of the data dictionary (PS3.6 Table 6-1): the tag (or, for repeating groups such as (60xx,3000), the tag with
/// the varying digits given by <see cref="Mask"/>), the allowed VRs, the value multiplicity and the names.
/// </summary>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    IReadOnlyList<DicomVR> ValueRepresentations,
    string ValueMultiplicity,
    string Keyword,
    string Name,
    bool IsRetired)
{
    /// <summary>The VR to use when only one is allowed, or the first of several (e.g. OB of "OB or OW").</summary>
    public DicomVR VR => ValueRepresentations[0];

    /// <summary>True for repeating-group rows such as (60xx,0010).</summary>
    public bool IsMasked => Mask != 0xFFFFFFFF;

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;
}
