using System.Globalization;

namespace DiffuGts.Dicom.Text;

/// <summary>
/// Parses and formats the text VRs with a fixed syntax (PS3.5 Table 6.2-1): DA, TM, DT, DS and IS. Always with the
/// invariant culture: a German locale would write DS "0,5" (dicom-facts §1.2).
/// </summary>
public static class DicomValueText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>DA "YYYYMMDD"; the ACR-NEMA form "YYYY.MM.DD" is accepted when reading (PS3.5 Table 6.2-1 note).</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().Replace(".", "", StringComparison.Ordinal);
        return DateOnly.TryParseExact(s, "yyyyMMdd", Invariant, DateTimeStyles.None, out date);
    }

    /// <summary>TM "HH[MM[SS[.F{1-6}]]]"; the ACR-NEMA form "HH:MM:SS.frac" is accepted when reading.</summary>
    public static bool TryParseTime(string text, out TimeOnly time)
    {
        ArgumentNullException.ThrowIfNull(text);
        time = default;
        var s = text.Trim().Replace(":", "", StringComparison.Ordinal);
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (whole.Length is not (2 or 4 or 6) || fraction.Length > 6 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            return false;
        }

        var hour = int.Parse(whole[..2], Invariant);
        var minute = whole.Length >= 4 ? int.Parse(whole[2..4], Invariant) : 0;
        var second = whole.Length >= 6 ? int.Parse(whole[4..6], Invariant) : 0;
        // PS3.5: a leap second (60) is allowed in TM; TimeOnly cannot hold it, so it clamps to 59.
        second = Math.Min(second, 59);
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0'), Invariant);
        if (hour > 23 || minute > 59)
        {
            return false;
        }

        time = new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    /// <summary>DT "YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX]"; the offset, when present, is returned separately.</summary>
    public static bool TryParseDateTime(string text, out DateTime dateTime, out TimeSpan? offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        dateTime = default;
        offset = null;
        var s = text.Trim();
        var sign = s.IndexOfAny(['+', '-'], 4 < s.Length ? 4 : s.Length);
        if (sign >= 0)
        {
            var zone = s[(sign + 1)..];
            if (zone.Length != 4 || !zone.All(char.IsAsciiDigit))
            {
                return false;
            }

            var minutes = (int.Parse(zone[..2], Invariant) * 60) + int.Parse(zone[2..], Invariant);
            offset = TimeSpan.FromMinutes(s[sign] == '-' ? -minutes : minutes);
            s = s[..sign];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? s : s[..dot];
        if (whole.Length is not (4 or 6 or 8 or 10 or 12 or 14) || !whole.All(char.IsAsciiDigit) || (dot >= 0 && whole.Length != 14))
        {
            return false;
        }

        var padded = whole + "0101000000"[(whole.Length - 4)..];
        if (!DateTime.TryParseExact(padded, "yyyyMMddHHmmss", Invariant, DateTimeStyles.None, out dateTime))
        {
            return false;
        }

        if (dot >= 0)
        {
            var fraction = s[(dot + 1)..];
            if (fraction.Length is 0 or > 6 || !fraction.All(char.IsAsciiDigit))
            {
                return false;
            }

            dateTime = dateTime.AddTicks(long.Parse(fraction.PadRight(7, '0'), Invariant));
        }

        return true;
    }

    public static bool TryParseDecimalString(string text, out double value) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, Invariant, out value);

    public static bool TryParseIntegerString(string text, out long value) =>
        long.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, Invariant,
            out value);

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", Invariant);

    /// <summary>TM with microseconds only when the time has a fraction.</summary>
    public static string FormatTime(TimeOnly time)
    {
        var whole = time.ToString("HHmmss", Invariant);
        var micro = (time.Ticks % TimeSpan.TicksPerSecond) / 10;
        return micro == 0 ? whole : whole + "." + micro.ToString("D6", Invariant);
    }

    public static string FormatDateTime(DateTimeOffset value)
    {
        var text = value.ToString("yyyyMMddHHmmss", Invariant);
        var micro = (value.Ticks % TimeSpan.TicksPerSecond) / 10;
        if (micro != 0)
        {
            text += "." + micro.ToString("D6", Invariant);
        }

        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return text + sign + offset.Hours.ToString("D2", Invariant) + offset.Minutes.ToString("D2", Invariant);
    }

    /// <summary>
    /// DS within its 16-byte limit (PS3.5 Table 6.2-1): the shortest round-trip form when it fits, else the most precise
    /// "G" form that does. Non-finite values have no DS form.
    /// </summary>
    public static string FormatDecimalString(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "DS holds finite numbers only (PS3.5 Table 6.2-1)");
        }

        var text = value.ToString("R", Invariant);
        for (var precision = 15; text.Length > 16 && precision > 0; precision--)
        {
            text = value.ToString("G" + precision.ToString(Invariant), Invariant);
        }

        return text;
    }

    public static string FormatIntegerString(long value)
    {
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "IS holds −2^31 ≤ n ≤ 2^31−1 (PS3.5 Table 6.2-1)");
        }

        return value.ToString(Invariant);
    }
}
