using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing;

/// <summary>Small DICOM datasets built in code for the tests (synthetic: no patient data).</summary>
public static class SyntheticDicom
{
    public const string StudyUid = "1.2.826.0.1.3680043.10.1234.1";
    public const string SeriesUid = "1.2.826.0.1.3680043.10.1234.1.2";
    public const string InstanceUid = "1.2.826.0.1.3680043.10.1234.1.2.3";

    /// <summary>A CT Image (PS3.3 A.3) of <paramref name="rows"/>×<paramref name="columns"/> signed 16-bit pixels.</summary>
    public static DicomDataset CtImage(int rows = 4, int columns = 4)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, new DateOnly(2026, 11, 28));
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, InstanceUid);
        ds.AddOrUpdate(DicomTags.StudyDate, new DateOnly(2026, 11, 28));
        ds.AddOrUpdate(DicomTags.ContentDate, new DateOnly(2026, 11, 28));
        ds.AddOrUpdate(DicomTags.StudyTime, new TimeOnly(10, 30, 15));
        ds.AddOrUpdate(DicomTags.ContentTime, new TimeOnly(10, 30, 15));
        ds.AddOrUpdate(DicomTags.AccessionNumber, "A1");
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.Manufacturer, "DiffuGts");
        ds.AddEmpty(DicomTags.ReferringPhysicianName);
        ds.AddOrUpdate(DicomTags.StudyDescription, "Synthetic phantom");
        ds.AddOrUpdate(DicomTags.PatientName, DicomPersonName.FromComponents("Phantom", "Jürgen"));
        ds.AddOrUpdate(DicomTags.PatientID, "PH-0001");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, new DateOnly(1970, 1, 1));
        ds.AddOrUpdate(DicomTags.PatientSex, "O");
        ds.AddOrUpdate(DicomTags.KVP, 120.0);
        ds.AddOrUpdate(DicomTags.SliceThickness, 2.5);
        ds.AddOrUpdate(DicomTags.PatientPosition, "HFS");
        ds.AddEmpty(DicomTags.Laterality);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, StudyUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid);
        ds.AddOrUpdate(DicomTags.StudyID, "1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, 1);
        ds.AddOrUpdate(DicomTags.AcquisitionNumber, 1);
        ds.AddOrUpdate(DicomTags.InstanceNumber, 1);
        ds.AddOrUpdate(DicomTags.ImagePositionPatient, -120.0, -120.0, 37.5);
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, StudyUid + ".9");
        ds.AddEmpty(DicomTags.PositionReferenceIndicator);
        ds.AddOrUpdate(DicomTags.SliceLocation, 37.5);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)rows);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)columns);
        ds.AddOrUpdate(DicomTags.PixelSpacing, 0.5, 0.5);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1);
        ds.AddOrUpdate(DicomTags.WindowCenter, 40.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, 400.0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, -1024.0);
        ds.AddOrUpdate(DicomTags.RescaleSlope, 1.0);
        ds.AddOrUpdate(DicomTags.RescaleType, "HU");
        var pixels = new short[rows * columns];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (short)((i * 37 % 2000) - 500);
        }

        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }
}
