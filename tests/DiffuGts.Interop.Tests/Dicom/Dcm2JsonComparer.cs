using System.Globalization;
using System.Text.Json;
using DiffuGts.Dicom;

namespace DiffuGts.Interop.Tests.Dicom;

/// <summary>
/// Compares a dataset we read with the PS3.18 Annex F JSON model that DCMTK's dcm2json writes for the same file:
/// every attribute's VR and value (strings, numbers, person name groups, tags, nested items, InlineBinary bytes).
/// Returns the differences, one line each, with the attribute path.
/// </summary>
internal static class Dcm2JsonComparer
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    public static List<string> Compare(DicomDataset ours, JsonElement theirs)
    {
        var differences = new List<string>();
        CompareDataset(ours, theirs, "", differences);
        return differences;
    }

    private static void CompareDataset(DicomDataset ours, JsonElement theirs, string path, List<string> differences)
    {
        var seen = new HashSet<DicomTag>();
        foreach (var property in theirs.EnumerateObject())
        {
            var tag = DicomTag.Parse(property.Name);
            seen.Add(tag);
            var here = $"{path}/{tag}";
            if (!ours.TryGetItem(tag, out var item))
            {
                differences.Add($"{here}: missing from our dataset");
                continue;
            }

            var vr = property.Value.GetProperty("vr").GetString();
            if (vr != item.VR.Code)
            {
                differences.Add($"{here}: VR {item.VR}, dcm2json {vr}");
                continue;
            }

            var hasValue = property.Value.TryGetProperty("Value", out var value);
            if (tag == SpecificCharacterSet)
            {
                // JSON text is UTF-8 (PS3.18 F.2), so dcm2json reports ISO_IR 192 whatever the file declared; the decoded
                // strings are what is compared.
                continue;
            }

            try
            {
                CompareItem(ours, item, property.Value, hasValue ? value : default, hasValue, here, differences);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
            {
                differences.Add($"{here}: {ex.Message}");
            }
        }

        foreach (var item in ours.Where(i => !seen.Contains(i.Tag)))
        {
            differences.Add($"{path}/{item.Tag}: not in dcm2json output");
        }
    }

    private static void CompareItem(DicomDataset ours, DicomItem item, JsonElement attribute, JsonElement value, bool hasValue, string here,
        List<string> differences)
    {
        switch (item)
        {
            case DicomSequence sequence:
                var items = hasValue ? value.EnumerateArray().ToList() : [];
                if (items.Count != sequence.Items.Count)
                {
                    differences.Add($"{here}: {sequence.Items.Count} items, dcm2json {items.Count}");
                    return;
                }

                for (var i = 0; i < items.Count; i++)
                {
                    CompareDataset(sequence.Items[i], items[i], $"{here}[{i}]", differences);
                }

                return;
            case DicomFragmentSequence:
                differences.Add($"{here}: encapsulated data is not compared");
                return;
        }

        var element = (DicomElement)item;
        if (attribute.TryGetProperty("InlineBinary", out var inline))
        {
            var expected = Convert.FromBase64String(inline.GetString()!);
            var actual = Padded(element);
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                differences.Add($"{here}: {actual.Length} bytes differ from dcm2json's {expected.Length} InlineBinary bytes");
            }

            return;
        }

        if (!hasValue)
        {
            if (element.Length != 0 && ours.GetStrings(element.Tag).Any(s => s.Length > 0))
            {
                differences.Add($"{here}: we have a value, dcm2json has none");
            }

            return;
        }

        var json = value.EnumerateArray().ToList();
        switch (element.VR.Code)
        {
            case "PN":
                var names = ours.GetPersonNames(element.Tag);
                Same(here, json.Count, names.Length, differences);
                for (var i = 0; i < Math.Min(json.Count, names.Length); i++)
                {
                    Same($"{here}[{i}] Alphabetic", Group(json[i], "Alphabetic"), names[i].Alphabetic, differences);
                    Same($"{here}[{i}] Ideographic", Group(json[i], "Ideographic"), names[i].Ideographic, differences);
                    Same($"{here}[{i}] Phonetic", Group(json[i], "Phonetic"), names[i].Phonetic, differences);
                }

                return;
            case "AT":
                Same(here, string.Join(',', json.Select(j => j.GetString())),
                    string.Join(',', ours.GetTags(element.Tag).Select(t => $"{t.Group:X4}{t.Element:X4}")), differences);
                return;
            case "DS" or "IS" or "US" or "SS" or "UL" or "SL" or "FL" or "FD" or "SV" or "UV":
                var numbers = ours.GetValues<double>(element.Tag);
                Same(here, json.Count, numbers.Length, differences);
                for (var i = 0; i < Math.Min(json.Count, numbers.Length); i++)
                {
                    var expected = json[i].GetDouble();
                    if (Math.Abs(expected - numbers[i]) > 1e-6 * Math.Max(1, Math.Abs(expected)))
                    {
                        differences.Add($"{here}[{i}]: {numbers[i].ToString("R", CultureInfo.InvariantCulture)}, dcm2json {expected}");
                    }
                }

                return;
            default:
                var strings = ours.GetStrings(element.Tag);
                Same(here, string.Join("\\", json.Select(j => j.ValueKind == JsonValueKind.Null ? "" : j.GetString())), string.Join("\\", strings),
                    differences);
                return;
        }
    }

    private static string Group(JsonElement name, string group) =>
        name.ValueKind == JsonValueKind.Object && name.TryGetProperty(group, out var v) ? v.GetString() ?? "" : "";

    private static byte[] Padded(DicomElement element)
    {
        var bytes = element.Buffer.ToArray();
        return bytes.Length % 2 == 1 ? [.. bytes, element.VR.PaddingByte] : bytes;
    }

    private static void Same<T>(string path, T expected, T actual, List<string> differences)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            differences.Add($"{path}: ours '{actual}', dcm2json '{expected}'");
        }
    }
}
