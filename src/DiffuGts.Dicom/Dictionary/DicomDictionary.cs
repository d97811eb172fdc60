using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace DiffuGts.Dicom.Dictionary;

/// <summary>
/// The data dictionary (PS3.6 §6): tag → VR, VM and keyword. It is loaded once from the embedded, hand-written
/// <c>dictionary.tsv</c>. Tags not in the table still resolve: group lengths (gggg,0000) are UL (PS3.5 §7.2) and private
/// creators (gggg,0010-00FF) are LO (PS3.5 §7.8.1); anything else is UN.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "PS3.6 names it the Data Dictionary.")]
public static class DicomDictionary
{
    private const string ResourceName = "DiffuGts.Dicom.Dictionary.dictionary.tsv";

    private static readonly Lazy<Table> Loaded = new(Load);

    /// <summary>Every row of the table, in file order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Loaded.Value.Entries;

    /// <summary>The dictionary row for a tag, or null for private and unknown tags.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var table = Loaded.Value;
        if (table.ByTag.TryGetValue(tag.Value, out var entry))
        {
            return entry;
        }

        // Repeating groups (60xx overlays) are even groups only; odd groups are private (PS3.5 §7.6).
        if ((tag.Group & 1) == 0)
        {
            foreach (var masked in table.Masked)
            {
                if (masked.Matches(tag))
                {
                    return masked;
                }
            }
        }

        return null;
    }

    public static DicomDictionaryEntry? Find(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return Loaded.Value.ByKeyword.GetValueOrDefault(keyword);
    }

    /// <summary>The VR an implicit-VR reader assigns to a tag (PS3.5 §7.1.3) and a writer uses when none is given.</summary>
    public static DicomVR GetVR(DicomTag tag)
    {
        if (Find(tag) is { } entry)
        {
            return entry.VR;
        }

        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
    }

    /// <summary>The keyword of a tag, "PrivateCreator"/"GroupLength" for those kinds, or null when unknown.</summary>
    public static string? GetKeyword(DicomTag tag) =>
        Find(tag)?.Keyword ?? (tag.IsGroupLength ? "GroupLength" : tag.IsPrivateCreator ? "PrivateCreator" : null);

    /// <summary>Parses the TSV text of the dictionary (public so the generator test can read the checked-in file).</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<DicomDictionaryEntry>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("tag\t", StringComparison.Ordinal))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length < 5)
            {
                throw new InvalidDataException($"dictionary.tsv line {lineNumber}: expected 6 tab-separated columns, found {columns.Length}");
            }

            var (tag, mask) = ParseTagOrMask(columns[0], lineNumber);
            var vrs = columns[1].Split('/').Select(code => DicomVR.Parse(code)).ToArray();
            var retired = columns.Length > 5 && columns[5].Trim() == "R";
            entries.Add(new DicomDictionaryEntry(tag, mask, vrs, columns[2], columns[3], columns[4], retired));
        }

        return entries;
    }

    /// <summary>"(0010,0010)" → exact tag; "(60xx,3000)" → tag 6000,3000 with the xx digits masked out.</summary>
    private static (DicomTag Tag, uint Mask) ParseTagOrMask(string text, int lineNumber)
    {
        var hex = text.Trim().Trim('(', ')').Replace(",", "", StringComparison.Ordinal);
        if (hex.Length != 8)
        {
            throw new InvalidDataException($"dictionary.tsv line {lineNumber}: '{text}' is not a tag");
        }

        uint value = 0, mask = 0;
        foreach (var c in hex)
        {
            value <<= 4;
            mask <<= 4;
            if (c is 'x' or 'X')
            {
                continue;
            }

            value |= uint.Parse(c.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            mask |= 0xF;
        }

        return (new DicomTag(value), mask);
    }

    private static Table Load()
    {
        using var stream = typeof(DicomDictionary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {Assembly.GetExecutingAssembly().FullName}");
        using var reader = new StreamReader(stream);
        var entries = Parse(reader);
        return new Table(
            entries,
            entries.Where(e => !e.IsMasked).ToFrozenDictionary(e => e.Tag.Value),
            [.. entries.Where(e => e.IsMasked)],
            entries.ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal));
    }

    private sealed record Table(
        IReadOnlyList<DicomDictionaryEntry> Entries,
        FrozenDictionary<uint, DicomDictionaryEntry> ByTag,
        DicomDictionaryEntry[] Masked,
        FrozenDictionary<string, DicomDictionaryEntry> ByKeyword);
}
