using System.Numerics;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Text;

namespace DiffuGts.Dicom;

/// <summary>
/// Typed writes. Without an explicit VR the dictionary's VR is used (STYLE: "a writer must use the dictionary VR",
/// dicom-facts §6.14). Text is encoded with this dataset's character set; set (0008,0005) first.
/// </summary>
public sealed partial class DicomDataset
{
    /// <summary>Sets string values with the dictionary VR (numbers given as text are accepted for binary VRs).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr.IsString)
        {
            return AddOrUpdate(new DicomElement(tag, vr, DicomValueCodec.EncodeStrings(vr, values, CharacterSet)));
        }

        if (vr == DicomVR.AT)
        {
            return AddOrUpdate(new DicomElement(tag, vr, DicomValueCodec.EncodeTags([.. values.Select(DicomTag.Parse)])));
        }

        if (vr.IsBinary)
        {
            var numbers = values.Select(v => DicomValueText.TryParseDecimalString(v, out var d)
                ? d
                : throw new FormatException($"'{v}' is not a number for {Describe(tag)} ({vr})")).ToArray();
            return AddOrUpdate(new DicomElement(tag, vr, DicomValueCodec.EncodeNumbers<double>(vr, numbers)));
        }

        throw new ArgumentException($"{Describe(tag)} is a sequence; add a DicomSequence", nameof(vr));
    }

    /// <summary>Sets numbers with the dictionary VR (binary numeric, DS or IS).</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values)
        where T : struct, INumberBase<T> =>
        AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values)
        where T : struct, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        return AddOrUpdate(new DicomElement(tag, vr, DicomValueCodec.EncodeNumbers<T>(vr, values)));
    }

    /// <summary>Sets raw little-endian bytes (OB, OW, UN, pixel data...). The memory is kept, not copied.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> buffer) => AddOrUpdate(new DicomElement(tag, vr, buffer));

    public DicomDataset AddOrUpdate(DicomTag tag, DateOnly date) => AddOrUpdate(tag, DicomVR.DA, DicomValueText.FormatDate(date));

    public DicomDataset AddOrUpdate(DicomTag tag, TimeOnly time) => AddOrUpdate(tag, DicomVR.TM, DicomValueText.FormatTime(time));

    public DicomDataset AddOrUpdate(DicomTag tag, DateTimeOffset dateTime) =>
        AddOrUpdate(tag, DicomVR.DT, DicomValueText.FormatDateTime(dateTime));

    public DicomDataset AddOrUpdate(DicomTag tag, params DicomPersonName[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return AddOrUpdate(tag, DicomVR.PN, [.. names.Select(n => n.ToString())]);
    }

    /// <summary>Sets an AT element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return AddOrUpdate(new DicomElement(tag, DicomVR.AT, DicomValueCodec.EncodeTags(tags)));
    }

    /// <summary>Sets a sequence of the given items (an empty sequence when none).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return AddOrUpdate(new DicomSequence(tag, items));
    }

    /// <summary>Adds an element with no value (a Type 2 attribute left empty: PS3.5 §7.4).</summary>
    public DicomDataset AddEmpty(DicomTag tag) => DicomDictionary.GetVR(tag) == DicomVR.SQ
        ? AddOrUpdate(new DicomSequence(tag))
        : AddOrUpdate(new DicomElement(tag, DicomDictionary.GetVR(tag), ReadOnlyMemory<byte>.Empty));
}
