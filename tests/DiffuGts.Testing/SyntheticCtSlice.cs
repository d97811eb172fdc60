using System.Buffers.Binary;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing;

/// <summary>
/// Synthetic CT Image slices (PS3.3 A.3; no patient data) for the fuzz seed corpus and the Part 10 benchmark: a disc of
/// "tissue" with noise on "air", 16 bits allocated, 12 stored, unsigned, with a referenced-image sequence so readers meet
/// nesting.
/// </summary>
public static class SyntheticCtSlice
{
    public const string StudyUid = "2.25.302419218573457698512034567812340001";
    public const string SeriesUid = "2.25.302419218573457698512034567812340002";

    public static DicomDataset Dataset(int index, int rows, int columns, ReadOnlyMemory<byte> pixels)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{SeriesUid}.{index + 1}"));
        ds.AddOrUpdate(DicomTags.StudyDate, new DateOnly(2026, 11, 28));
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.PatientName, DicomPersonName.FromComponents("Phantom", "Bench"));
        ds.AddOrUpdate(DicomTags.PatientID, "PH-BENCH");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, StudyUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid);
        ds.AddOrUpdate(DicomTags.InstanceNumber, (index + 1).ToString(CultureInfo.InvariantCulture));
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomUids.CTImageStorage);
        reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{SeriesUid}.{index + 2}"));
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, reference));
        ds.AddOrUpdate(DicomTags.ImagePositionPatient, "-250", "-250", (index * 2.5).ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)rows);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)columns);
        ds.AddOrUpdate(DicomTags.PixelSpacing, "0.9765625", "0.9765625");
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>Little-endian 16-bit pixels of one slice.</summary>
    public static byte[] Pixels(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[rows * columns * 2];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                int dx = x - (columns / 2), dy = y - (rows / 2);
                var inside = (dx * dx) + (dy * dy) < rows * rows / 6;
                var value = inside ? 1000 + (x / 4) + random.Next(-30, 31) : random.Next(0, 20);
                BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(2 * ((y * columns) + x)), (ushort)value);
            }
        }

        return pixels;
    }
}
