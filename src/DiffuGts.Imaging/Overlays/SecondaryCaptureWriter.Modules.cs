using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Imaging.Overlays;

public sealed partial class SecondaryCaptureWriter
{
    /// <summary>
    /// Patient (C.7.1.1), Patient Study (C.7.2.2) and General Study (C.7.2.1) attributes copied from the source, with Body Part
    /// Examined (General Series).
    /// </summary>
    private static readonly DicomTag[] CopiedFromSource =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.IssuerOfPatientID, DicomTags.TypeOfPatientID, DicomTags.PatientBirthDate,
        DicomTags.PatientBirthTime, DicomTags.PatientSex, DicomTags.OtherPatientIDsSequence, DicomTags.PatientComments,
        DicomTags.PatientSpeciesDescription, DicomTags.PatientIdentityRemoved, DicomTags.DeidentificationMethod,
        DicomTags.DeidentificationMethodCodeSequence, DicomTags.AdmittingDiagnosesDescription, DicomTags.PatientAge, DicomTags.PatientSize,
        DicomTags.PatientWeight, DicomTags.AdditionalPatientHistory, DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime,
        DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber, DicomTags.IssuerOfAccessionNumberSequence,
        DicomTags.StudyDescription, DicomTags.PhysiciansOfRecord, DicomTags.NameOfPhysiciansReadingStudy, DicomTags.ReferencedStudySequence,
        DicomTags.ProcedureCodeSequence, DicomTags.BodyPartExamined, DicomTags.Laterality,
    ];

    /// <summary>Type 2 attributes of Patient and General Study: present, empty when the source lacks them (PS3.5 §7.4).</summary>
    private static readonly DicomTag[] RequiredEvenIfEmpty =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate,
        DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber,

        // General Series Laterality is Type 2C (paired body parts): the source's value, else empty (unknown), which dciodvfy
        // accepts with a warning where an absent one is an error; left out when Body Part Examined names a part (see Encode).
        DicomTags.Laterality,
    ];

    /// <summary>LO holds at most 64 characters (PS3.5 Table 6.2-1).</summary>
    private const int LongStringMax = 64;

    /// <summary>ST holds at most 1024 characters (PS3.5 Table 6.2-1).</summary>
    private const int ShortTextMax = 1024;

    private DicomDataset Encode(DicomDataset source, int k, RgbImage image, SeriesContext series)
    {
        var ds = new DicomDataset();
        var seriesDescription = Truncate($"{options.SeriesDescriptionPrefix}: {string.Join(", ", series.Labels)}", LongStringMax);
        var derivation = Truncate(DerivationDescription(series), ShortTextMax);

        // The copied text keeps its bytes, so the copy keeps the source's character set; text we add must fit it.
        if (source.TryGetItem(DicomTags.SpecificCharacterSet, out var charset))
        {
            ds.AddOrUpdate(charset);
        }
        else if (!IsAscii(seriesDescription) || !IsAscii(derivation))
        {
            ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        }

        // SOP Common (C.12.1).
        var now = series.Now;
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SecondaryCaptureImageStorage);
        ds.AddOrUpdate(
            DicomTags.SOPInstanceUID,
            options.Uids.Derive(UidAlgorithmVersion, "overlay-instance", series.SeriesUid, source.GetString(DicomTags.SOPInstanceUID)));
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DateOnly.FromDateTime(now.DateTime));
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, TimeOnly.FromDateTime(now.DateTime));

        // Patient, Patient Study, General Study: the same patient and study as the source (dicom-facts §5.2, §6.19).
        foreach (var tag in CopiedFromSource)
        {
            if (source.TryGetItem(tag, out var item))
            {
                ds.AddOrUpdate(item is DicomSequence sequence ? new DicomSequence(tag, sequence.Items.Select(i => i.Clone())) : item);
            }
        }

        foreach (var tag in RequiredEvenIfEmpty.Where(t => !ds.Contains(t)))
        {
            // A named body part without a laterality is an unpaired one (ABDOMEN): there Laterality must be absent.
            if (tag != DicomTags.Laterality || !ds.TryGetString(DicomTags.BodyPartExamined, out var part) || part.Trim().Length == 0)
            {
                ds.AddEmpty(tag);
            }
        }

        // General Series (C.7.3.1): a new series in the source study.
        ds.AddOrUpdate(DicomTags.Modality, series.Modality);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, series.SeriesUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, options.SeriesNumber);
        ds.AddOrUpdate(DicomTags.SeriesDescription, seriesDescription);
        ds.AddOrUpdate(DicomTags.SeriesDate, DateOnly.FromDateTime(now.DateTime));
        ds.AddOrUpdate(DicomTags.SeriesTime, TimeOnly.FromDateTime(now.DateTime));

        // General Equipment (C.7.5.1) names who made these images; SC Equipment (C.8.6.1) how: a workstation render (WSD).
        ds.AddOrUpdate(DicomTags.Manufacturer, "DiffuGts");
        ds.AddOrUpdate(DicomTags.SoftwareVersions, options.SoftwareVersion);
        ds.AddOrUpdate(DicomTags.ConversionType, "WSD");
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturer, "DiffuGts");
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturerModelName, Truncate(series.Model.Name, LongStringMax));
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceSoftwareVersions, Truncate(series.Model.Version, LongStringMax));

        // General Image (C.7.6.1): the source's Instance Number, so "image 47" is the same anatomy in both series.
        ds.AddOrUpdate(DicomTags.InstanceNumber, source.TryGetValue<int>(DicomTags.InstanceNumber, out var number) ? number : k + 1);
        ds.AddOrUpdate(DicomTags.PatientOrientation, PatientOrientation.Describe(series.RowDirection, series.ColumnDirection));
        ds.AddOrUpdate(DicomTags.ContentDate, DateOnly.FromDateTime(now.DateTime));
        ds.AddOrUpdate(DicomTags.ContentTime, TimeOnly.FromDateTime(now.DateTime));
        ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, "YES");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, "00");

        // General Reference (C.12.4): the source slice, with DCM 121322 "Source image for image processing operation".
        ds.AddOrUpdate(DicomTags.DerivationDescription, derivation);
        var purpose = new DicomDataset()
            .AddOrUpdate(DicomTags.CodeValue, "121322")
            .AddOrUpdate(DicomTags.CodingSchemeDesignator, "DCM")
            .AddOrUpdate(DicomTags.CodeMeaning, "Source image for image processing operation");
        var reference = new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, source.GetString(DicomTags.SOPClassUID))
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, source.GetString(DicomTags.SOPInstanceUID))
            .AddOrUpdate(DicomTags.PurposeOfReferenceCodeSequence, purpose);
        ds.AddOrUpdate(DicomTags.SourceImageSequence, reference);

        // SC Image (C.8.6.2): capture date and time; Pixel Spacing through the Basic Pixel Spacing Calibration macro, copied so
        // distances measured on the overlay are true. No Image Plane or Frame of Reference: the SC IOD has neither (§5.2).
        ds.AddOrUpdate(DicomTags.DateOfSecondaryCapture, DateOnly.FromDateTime(now.DateTime));
        ds.AddOrUpdate(DicomTags.TimeOfSecondaryCapture, TimeOnly.FromDateTime(now.DateTime));
        if (source.TryGetItem(DicomTags.PixelSpacing, out var spacing))
        {
            ds.AddOrUpdate(spacing);
        }

        // Image Pixel (C.7.6.3): 8-bit RGB, colour-by-pixel (Planar Configuration 0), as rendered.
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)3);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "RGB");
        ds.AddOrUpdate(DicomTags.PlanarConfiguration, (ushort)0);
        ds.AddOrUpdate(DicomTags.Rows, (ushort)image.Height);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)image.Width);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)8);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)8);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)7);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, EvenLength(image.Pixels));
        return ds;
    }

    private static string DerivationDescription(SeriesContext series)
    {
        var window = series.Render.Window!.Value;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"AI segmentation ({string.Join(", ", series.Labels)}) by {series.Model.Name} {series.Model.Version} drawn on the source image " +
            $"(window {window.Width:0.#}/{window.Center:0.#}); not verified by a clinician");
    }

    /// <summary>PS3.5 §7.1.1: a value field has even length; OB pads with one NUL.</summary>
    private static ReadOnlyMemory<byte> EvenLength(byte[] pixels)
    {
        if (pixels.Length % 2 == 0)
        {
            return pixels;
        }

        var padded = new byte[pixels.Length + 1];
        pixels.CopyTo(padded, 0);
        return padded;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static bool IsAscii(string text) => text.All(char.IsAscii);
}
