using System.Globalization;

namespace DiffuGts.Dicom;

/// <summary>
/// Private data elements (PS3.5 §7.8.1): a creator element (gggg,00xx) LO names the owner of the block (gggg,xx00-xxFF).
/// The block number differs between files, so code addresses private elements by creator and offset, never by tag.
/// </summary>
public sealed partial class DicomDataset
{
    private const ushort FirstCreatorElement = 0x0010;
    private const ushort LastCreatorElement = 0x00FF;

    /// <summary>
    /// The tag of private element <paramref name="offset"/> (00-FF) in the block that <paramref name="creator"/> reserved in
    /// <paramref name="group"/>. With <paramref name="reserve"/>, a missing creator is added in the first free slot.
    /// </summary>
    public bool TryGetPrivateTag(ushort group, string creator, byte offset, bool reserve, out DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if ((group & 1) == 0 || group <= 0x0007)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group.ToString("X4", CultureInfo.InvariantCulture) + " is not a private group");
        }

        ushort? free = null;
        for (var element = FirstCreatorElement; element <= LastCreatorElement; element++)
        {
            var creatorTag = new DicomTag(group, element);
            if (!Contains(creatorTag))
            {
                free ??= element;
                continue;
            }

            if (string.Equals(GetSingleStringOrDefault(creatorTag), creator, StringComparison.Ordinal))
            {
                tag = new DicomTag(group, (ushort)((element << 8) | offset));
                return true;
            }
        }

        if (reserve && free is { } slot)
        {
            AddOrUpdate(new DicomTag(group, slot), DicomVR.LO, creator);
            tag = new DicomTag(group, (ushort)((slot << 8) | offset));
            return true;
        }

        tag = default;
        return false;
    }

    /// <summary>The creator that owns a private data element's block, or null (PS3.5 §7.8.1).</summary>
    public string? GetPrivateCreator(DicomTag tag) =>
        tag.PrivateCreatorTag is { } creatorTag ? GetSingleStringOrDefault(creatorTag) : null;
}
