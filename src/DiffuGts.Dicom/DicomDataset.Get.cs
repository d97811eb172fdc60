using System.Numerics;
using DiffuGts.Dicom.Text;

namespace DiffuGts.Dicom;

/// <summary>Typed reads. A missing tag throws <see cref="KeyNotFoundException"/>; the <c>TryGet…</c> forms return false.</summary>
public sealed partial class DicomDataset
{
    public DicomElement GetElement(DicomTag tag) =>
        GetItem(tag) as DicomElement ?? throw new InvalidOperationException($"{Describe(tag)} is a sequence, not an element with a value");

    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        element = null!;
        if (TryGetItem(tag, out var item) && item is DicomElement e)
        {
            element = e;
            return true;
        }

        return false;
    }

    /// <summary>The raw little-endian value bytes (no copy).</summary>
    public ReadOnlyMemory<byte> GetBuffer(DicomTag tag) => GetElement(tag).Buffer;

    /// <summary>The whole decoded string value, padding removed; multiple values keep their backslashes.</summary>
    public string GetString(DicomTag tag) => string.Join('\\', GetStrings(tag));

    public bool TryGetString(DicomTag tag, out string value)
    {
        value = "";
        if (!TryGetElement(tag, out var element))
        {
            return false;
        }

        value = string.Join('\\', Strings(element));
        return true;
    }

    /// <summary>The first string value, or <paramref name="defaultValue"/> when the tag is absent or empty.</summary>
    public string? GetSingleStringOrDefault(DicomTag tag, string? defaultValue = null) =>
        TryGetElement(tag, out var element) && Strings(element) is [var first, ..] ? first : defaultValue;

    /// <summary>Each value of a string element (binary elements give their numbers in invariant culture).</summary>
    public string[] GetStrings(DicomTag tag) => Strings(GetElement(tag));

    /// <summary>Number of values (PS3.5 §6.4), 0 for an empty element; for a sequence, its item count.</summary>
    public int GetValueCount(DicomTag tag) => GetItem(tag) switch
    {
        DicomSequence sequence => sequence.Items.Count,
        DicomElement element => DicomValueCodec.CountValues(element, CharacterSet),
        _ => 1,
    };

    /// <summary>Numbers of a binary numeric element (US, SS, UL, SL, FL, FD, SV, UV, O*) or of DS and IS text.</summary>
    public T[] GetValues<T>(DicomTag tag)
        where T : struct, INumberBase<T> =>
        DicomValueCodec.DecodeNumbers<T>(GetElement(tag), CharacterSet);

    public T GetValue<T>(DicomTag tag, int index = 0)
        where T : struct, INumberBase<T>
    {
        var values = GetValues<T>(tag);
        return (uint)index < (uint)values.Length
            ? values[index]
            : throw new InvalidOperationException($"{Describe(tag)} has {values.Length} values; value {index} was asked for");
    }

    public bool TryGetValue<T>(DicomTag tag, out T value, int index = 0)
        where T : struct, INumberBase<T>
    {
        value = default;
        if (!TryGetElement(tag, out var element))
        {
            return false;
        }

        try
        {
            var values = DicomValueCodec.DecodeNumbers<T>(element, CharacterSet);
            if ((uint)index >= (uint)values.Length)
            {
                return false;
            }

            value = values[index];
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    public T GetValueOrDefault<T>(DicomTag tag, T defaultValue, int index = 0)
        where T : struct, INumberBase<T> =>
        TryGetValue<T>(tag, out var value, index) ? value : defaultValue;

    /// <summary>A DA value (PS3.5 Table 6.2-1).</summary>
    public DateOnly GetDate(DicomTag tag) =>
        TryGetDate(tag, out var date) ? date : throw Invalid(tag, "DA (YYYYMMDD)");

    public bool TryGetDate(DicomTag tag, out DateOnly date)
    {
        date = default;
        return TryGetElement(tag, out var element) && Strings(element) is [var first, ..] && DicomValueText.TryParseDate(first, out date);
    }

    /// <summary>A TM value (PS3.5 Table 6.2-1).</summary>
    public TimeOnly GetTime(DicomTag tag) =>
        TryGetTime(tag, out var time) ? time : throw Invalid(tag, "TM (HHMMSS.FFFFFF)");

    public bool TryGetTime(DicomTag tag, out TimeOnly time)
    {
        time = default;
        return TryGetElement(tag, out var element) && Strings(element) is [var first, ..] && DicomValueText.TryParseTime(first, out time);
    }

    /// <summary>A DT value as local date and time; the UTC offset, if written, is ignored (see <see cref="TryGetDateTimeOffset"/>).</summary>
    public DateTime GetDateTime(DicomTag tag) =>
        TryGetElement(tag, out var element) && Strings(element) is [var first, ..] && DicomValueText.TryParseDateTime(first, out var value, out _)
            ? value
            : throw Invalid(tag, "DT (YYYYMMDDHHMMSS.FFFFFF&ZZXX)");

    /// <summary>
    /// A DT value with its offset: the one in the value, else Timezone Offset From UTC (0008,0201) (PS3.5 Table 6.2-1).
    /// False when neither gives an offset.
    /// </summary>
    public bool TryGetDateTimeOffset(DicomTag tag, out DateTimeOffset value)
    {
        value = default;
        if (!TryGetElement(tag, out var element) || Strings(element) is not [var first, ..]
            || !DicomValueText.TryParseDateTime(first, out var local, out var offset))
        {
            return false;
        }

        if (offset is null && TryGetString(Dictionary.DicomTags.TimezoneOffsetFromUTC, out var zone)
            && DicomValueText.TryParseDateTime("00010101" + "000000" + zone, out _, out var datasetOffset))
        {
            offset = datasetOffset;
        }

        if (offset is null)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset.Value);
        return true;
    }

    public DicomPersonName GetPersonName(DicomTag tag) => DicomPersonName.Parse(GetString(tag));

    public DicomPersonName[] GetPersonNames(DicomTag tag) => [.. GetStrings(tag).Select(DicomPersonName.Parse)];

    /// <summary>The tags of an AT element.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        var element = GetElement(tag);
        return element.VR == DicomVR.AT ? DicomValueCodec.DecodeTags(element) : throw Invalid(tag, "AT");
    }

    public DicomSequence GetSequence(DicomTag tag) =>
        GetItem(tag) as DicomSequence ?? throw new InvalidOperationException($"{Describe(tag)} is not a sequence");

    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        sequence = null!;
        if (TryGetItem(tag, out var item) && item is DicomSequence s)
        {
            sequence = s;
            return true;
        }

        return false;
    }

    private string[] Strings(DicomElement element) => DicomValueCodec.DescribeValues(element, CharacterSet);

    private static FormatException Invalid(DicomTag tag, string expected) => new($"{Describe(tag)} is absent or not a valid {expected} value");
}
