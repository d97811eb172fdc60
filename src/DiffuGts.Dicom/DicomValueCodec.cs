using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using DiffuGts.Dicom.Text;

namespace DiffuGts.Dicom;

/// <summary>
/// Turns element bytes into typed values and back (PS3.5 §6.2 and §6.4). Values are little-endian; strings are split
/// on the backslash delimiter except for the single-valued VRs LT, ST, UT and UR.
/// </summary>
internal static class DicomValueCodec
{
    private const char ValueDelimiter = '\\';

    /// <summary>Decodes the text of a string element, padding removed, values not yet split.</summary>
    public static string DecodeText(DicomElement element, DicomCharacterSet characterSet)
    {
        var bytes = element.Buffer.Span;
        var text = element.VR.IsCharacterSetAffected ? characterSet.Decode(bytes) : Encoding.Latin1.GetString(bytes);
        return element.VR.IsSingleValued ? TrimValue(element.VR, text) : text;
    }

    /// <summary>The values of a string element, each trimmed of insignificant spaces and NUL padding (PS3.5 Table 6.2-1).</summary>
    public static string[] DecodeStrings(DicomElement element, DicomCharacterSet characterSet)
    {
        if (element.Length == 0)
        {
            return [];
        }

        var text = DecodeText(element, characterSet);
        if (element.VR.IsSingleValued)
        {
            return [text];
        }

        var values = text.Split(ValueDelimiter);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = TrimValue(element.VR, values[i]);
        }

        return values;
    }

    /// <summary>Number of values: strings by delimiter, binary values by size, bytes for OB/UN.</summary>
    public static int CountValues(DicomElement element, DicomCharacterSet characterSet)
    {
        if (element.VR.IsString)
        {
            return DecodeStrings(element, characterSet).Length;
        }

        return element.VR.UnitSize switch
        {
            _ when element.VR == DicomVR.AT => element.Length / 4,
            0 => 0,
            var size => element.Length / size,
        };
    }

    /// <summary>The numbers held by a binary numeric element or by a DS/IS element, converted to <typeparamref name="T"/>.</summary>
    public static T[] DecodeNumbers<T>(DicomElement element, DicomCharacterSet characterSet)
        where T : struct, INumberBase<T>
    {
        var vr = element.VR;
        if (vr == DicomVR.DS || vr == DicomVR.IS || (vr.IsString && vr != DicomVR.AT))
        {
            var strings = DecodeStrings(element, characterSet);
            var result = new T[strings.Length];
            for (var i = 0; i < strings.Length; i++)
            {
                result[i] = ParseNumber<T>(vr, strings[i]);
            }

            return result;
        }

        // O* values are words of raw data (e.g. signed pixels in OW), so they convert bit-for-bit rather than by value.
        var raw = vr.Code[0] == 'O' || vr == DicomVR.UN;
        var span = element.Buffer.Span;
        return vr.Code switch
        {
            "US" or "OW" or "AT" => Convert<ushort, T>(span, 2, BinaryPrimitives.ReadUInt16LittleEndian, raw),
            "SS" => Convert<short, T>(span, 2, BinaryPrimitives.ReadInt16LittleEndian, raw),
            "UL" or "OL" => Convert<uint, T>(span, 4, BinaryPrimitives.ReadUInt32LittleEndian, raw),
            "SL" => Convert<int, T>(span, 4, BinaryPrimitives.ReadInt32LittleEndian, raw),
            "FL" or "OF" => Convert<float, T>(span, 4, BinaryPrimitives.ReadSingleLittleEndian, raw),
            "FD" or "OD" => Convert<double, T>(span, 8, BinaryPrimitives.ReadDoubleLittleEndian, raw),
            "SV" => Convert<long, T>(span, 8, BinaryPrimitives.ReadInt64LittleEndian, raw),
            "UV" or "OV" => Convert<ulong, T>(span, 8, BinaryPrimitives.ReadUInt64LittleEndian, raw),
            "OB" or "UN" => Convert<byte, T>(span, 1, s => s[0], raw),
            _ => throw new InvalidOperationException($"{element.Tag} has VR {vr}, which holds no numbers"),
        };
    }

    /// <summary>The tags of an AT element (PS3.5 §6.2: group then element, each a 16-bit number).</summary>
    public static DicomTag[] DecodeTags(DicomElement element)
    {
        var span = element.Buffer.Span;
        var tags = new DicomTag[span.Length / 4];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(4 * i)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[((4 * i) + 2)..]));
        }

        return tags;
    }

    /// <summary>A display form of every value, for dumps: strings as decoded, numbers in invariant culture.</summary>
    public static string[] DescribeValues(DicomElement element, DicomCharacterSet characterSet)
    {
        if (element.VR.IsString)
        {
            return DecodeStrings(element, characterSet);
        }

        if (element.VR == DicomVR.AT)
        {
            return [.. DecodeTags(element).Select(t => t.ToString())];
        }

        return element.VR.Code switch
        {
            "FL" or "OF" or "FD" or "OD" => [.. DecodeNumbers<double>(element, characterSet).Select(v => v.ToString("R", CultureInfo.InvariantCulture))],
            "SS" or "SL" or "SV" => [.. DecodeNumbers<long>(element, characterSet).Select(v => v.ToString(CultureInfo.InvariantCulture))],
            _ => [.. DecodeNumbers<ulong>(element, characterSet).Select(v => v.ToString(CultureInfo.InvariantCulture))],
        };
    }

    /// <summary>Encodes string values joined by backslashes, without padding (the writer pads to even length).</summary>
    public static byte[] EncodeStrings(DicomVR vr, IReadOnlyList<string> values, DicomCharacterSet characterSet)
    {
        if (vr.IsSingleValued && values.Count > 1)
        {
            throw new ArgumentException($"VR {vr} holds a single value (PS3.5 §6.4)", nameof(values));
        }

        var text = string.Join(ValueDelimiter, values);
        if (vr.IsCharacterSetAffected)
        {
            return characterSet.Encode(text);
        }

        if (!Ascii.IsValid(text))
        {
            throw new ArgumentException($"VR {vr} uses the default repertoire only (PS3.5 §6.1.2.3); '{text}' is not ASCII", nameof(values));
        }

        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>Encodes numbers in a binary VR, or as DS/IS text.</summary>
    public static byte[] EncodeNumbers<T>(DicomVR vr, ReadOnlySpan<T> values)
        where T : struct, INumberBase<T>
    {
        if (vr == DicomVR.DS)
        {
            var texts = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                texts[i] = DicomValueText.FormatDecimalString(double.CreateChecked(values[i]));
            }

            return Encoding.ASCII.GetBytes(string.Join(ValueDelimiter, texts));
        }

        if (vr == DicomVR.IS)
        {
            var texts = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                texts[i] = DicomValueText.FormatIntegerString(long.CreateChecked(values[i]));
            }

            return Encoding.ASCII.GetBytes(string.Join(ValueDelimiter, texts));
        }

        var size = vr == DicomVR.AT ? 2 : vr.UnitSize;
        if (!vr.IsBinary || size == 0)
        {
            throw new ArgumentException($"VR {vr} does not hold binary numbers", nameof(vr));
        }

        var bytes = new byte[values.Length * size];
        var span = bytes.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var target = span[(i * size)..];
            var v = values[i];
            switch (vr.Code)
            {
                case "OW": BinaryPrimitives.WriteUInt16LittleEndian(target, ushort.CreateTruncating(v)); break;
                case "OL": BinaryPrimitives.WriteUInt32LittleEndian(target, uint.CreateTruncating(v)); break;
                case "OV": BinaryPrimitives.WriteUInt64LittleEndian(target, ulong.CreateTruncating(v)); break;
                case "OB" or "UN": target[0] = byte.CreateTruncating(v); break;
                case "US" or "AT": BinaryPrimitives.WriteUInt16LittleEndian(target, ushort.CreateChecked(v)); break;
                case "SS": BinaryPrimitives.WriteInt16LittleEndian(target, short.CreateChecked(v)); break;
                case "UL": BinaryPrimitives.WriteUInt32LittleEndian(target, uint.CreateChecked(v)); break;
                case "SL": BinaryPrimitives.WriteInt32LittleEndian(target, int.CreateChecked(v)); break;
                case "FL" or "OF": BinaryPrimitives.WriteSingleLittleEndian(target, float.CreateChecked(v)); break;
                case "FD" or "OD": BinaryPrimitives.WriteDoubleLittleEndian(target, double.CreateChecked(v)); break;
                case "SV": BinaryPrimitives.WriteInt64LittleEndian(target, long.CreateChecked(v)); break;
                case "UV": BinaryPrimitives.WriteUInt64LittleEndian(target, ulong.CreateChecked(v)); break;
                default: throw new ArgumentException($"VR {vr} does not hold binary numbers", nameof(vr));
            }
        }

        return bytes;
    }

    public static byte[] EncodeTags(ReadOnlySpan<DicomTag> tags)
    {
        var bytes = new byte[tags.Length * 4];
        for (var i = 0; i < tags.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((4 * i) + 2), tags[i].Element);
        }

        return bytes;
    }

    /// <summary>
    /// PS3.5 Table 6.2-1: leading and trailing spaces are insignificant for most string VRs; LT, ST, UT, UC and UR keep
    /// leading spaces. UI is NUL-padded; trailing NULs are stripped everywhere since some writers pad strings with them.
    /// </summary>
    private static string TrimValue(DicomVR vr, string value)
    {
        if (vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT || vr == DicomVR.UC || vr == DicomVR.UR)
        {
            return value.TrimEnd(' ', '\0');
        }

        return value.Trim(' ', '\0');
    }

    private static T ParseNumber<T>(DicomVR vr, string text)
        where T : struct, INumberBase<T>
    {
        if (vr == DicomVR.IS && DicomValueText.TryParseIntegerString(text, out var integer))
        {
            return T.CreateChecked(integer);
        }

        if (typeof(T) == typeof(decimal) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dec))
        {
            return T.CreateChecked(dec);
        }

        if (DicomValueText.TryParseDecimalString(text, out var number))
        {
            return T.CreateTruncating(number);
        }

        throw new FormatException($"'{text}' is not a valid {vr} value (PS3.5 Table 6.2-1)");
    }

    private static T[] Convert<TSource, T>(ReadOnlySpan<byte> span, int size, ReadValue<TSource> read, bool raw)
        where TSource : struct, INumberBase<TSource>
        where T : struct, INumberBase<T>
    {
        var result = new T[span.Length / size];
        for (var i = 0; i < result.Length; i++)
        {
            var value = read(span.Slice(i * size, size));
            result[i] = raw ? T.CreateTruncating(value) : T.CreateChecked(value);
        }

        return result;
    }

    private delegate TValue ReadValue<TValue>(ReadOnlySpan<byte> source);
}
