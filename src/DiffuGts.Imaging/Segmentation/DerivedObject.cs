using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Attributes every derived object (SEG, SC overlay) shares: Patient and General Study copied verbatim from the source so
/// the PACS files it in the same study (PS3.3 C.7.1.1, C.7.2.1; facts §4.2), equipment naming our software, and UIDs.
/// </summary>
internal static class DerivedObject
{
    private static readonly DicomTag[] PatientAndStudy =
    [
        DicomTags.SpecificCharacterSet, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber,
        DicomTags.ReferringPhysicianName, DicomTags.StudyDescription, DicomTags.PatientName, DicomTags.PatientID,
        new(0x0010, 0x0021), DicomTags.PatientBirthDate, DicomTags.PatientSex, new(0x0010, 0x1010),
        DicomTags.StudyInstanceUID, DicomTags.StudyID,
    ];

    /// <summary>Type 2 attributes written empty when the source lacks them.</summary>
    private static readonly DicomTag[] RequiredEmpty =
    [
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName,
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyID,
    ];

    public static void CopyPatientAndStudy(DicomDataset source, DicomDataset target)
    {
        foreach (var tag in PatientAndStudy)
        {
            if (source.TryGetItem(tag, out var item))
            {
                target.AddOrUpdate(item);
            }
        }

        foreach (var tag in RequiredEmpty)
        {
            if (!target.Contains(tag))
            {
                target.AddEmpty(tag);
            }
        }
    }

    public static void AddEquipment(DicomDataset ds, SegmentationWriterOptions o)
    {
        ds.AddOrUpdate(DicomTags.Manufacturer, o.Manufacturer);
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, o.ManufacturerModelName);
        ds.AddOrUpdate(DicomTags.DeviceSerialNumber, o.DeviceSerialNumber);
        ds.AddOrUpdate(DicomTags.SoftwareVersions, o.SoftwareVersion);
    }

    public static void AddContentDateTime(DicomDataset ds, DateTimeOffset when)
    {
        var date = DateOnly.FromDateTime(when.DateTime);
        var time = TimeOnly.FromDateTime(when.DateTime);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, date);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, time);
        ds.AddOrUpdate(DicomTags.ContentDate, date);
        ds.AddOrUpdate(DicomTags.ContentTime, time);
    }

    /// <summary>A new UID, or one derived from the source series, the algorithm and a purpose (re-runs repeat it).</summary>
    public static string Uid(SegmentationWriterOptions o, SeriesVolume source, params string[] purpose) => o.DeterministicUids
        ? o.UidGenerator.Derive(1, [source.Reference.GetSingleStringOrDefault(DicomTags.SeriesInstanceUID) ?? "",
            o.AlgorithmName, o.AlgorithmVersion, o.DerivationKey, .. purpose])
        : o.UidGenerator.Generate();

    public static DicomDataset Reference(string sopClass, string sopInstance, int? frame, bool withPurpose)
    {
        var item = new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, sopClass)
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, sopInstance);
        if (frame is { } f)
        {
            item.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, f.ToString(CultureInfo.InvariantCulture));
        }

        if (withPurpose)
        {
            item.AddOrUpdate(DicomTags.PurposeOfReferenceCodeSequence, CodedConcept.SourceImageForProcessing.ToItem());
        }

        return item;
    }

    /// <summary>Common Instance Reference (PS3.3 C.12.2): the source series and each referenced instance once.</summary>
    public static DicomDataset ReferencedSeries(SeriesVolume source, IEnumerable<SourceSlice> slices)
    {
        var instances = slices.DistinctBy(s => s.SopInstanceUid)
            .Select(s => Reference(s.SopClassUid, s.SopInstanceUid, null, withPurpose: false)).ToArray();
        return new DicomDataset()
            .AddOrUpdate(DicomTags.SeriesInstanceUID, source.Reference.GetSingleStringOrDefault(DicomTags.SeriesInstanceUID) ?? "")
            .AddOrUpdate(DicomTags.ReferencedInstanceSequence, instances);
    }

    /// <summary>Image Pixel module (C.7.6.3) for unsigned samples on the source's rows and columns: bits allocated = stored, high bit = bits − 1.</summary>
    public static void AddImagePixel(DicomDataset ds, VolumeGeometry g, int samplesPerPixel, string photometric, int bits)
    {
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)samplesPerPixel);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, photometric);
        ds.AddOrUpdate(DicomTags.Rows, (ushort)g.SizeY);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)g.SizeX);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)bits);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)bits);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)(bits - 1));
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
    }

    /// <summary>
    /// Lossy Image Compression (Type 1 in the Segmentation Image module, C.8.20.2): "01" once any source was lossy, with the
    /// source's ratio and method copied (1C); otherwise "00".
    /// </summary>
    public static void AddLossyCompression(DicomDataset ds, SeriesVolume source)
    {
        ds.AddOrUpdate(DicomTags.LossyImageCompression, source.SourceWasLossy ? "01" : "00");
        if (!source.SourceWasLossy)
        {
            return;
        }

        foreach (var tag in new[] { DicomTags.LossyImageCompressionRatio, DicomTags.LossyImageCompressionMethod })
        {
            if (source.Reference.TryGetItem(tag, out var item))
            {
                ds.AddOrUpdate(item);
            }
        }
    }
}
