using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing.Network;

/// <summary>Small synthetic CT/MR Part 10 files for network tests (no PHI; deterministic pixels from a seed).</summary>
public static class SyntheticInstances
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>Writes one 16-bit image and returns its path; the SOP instance UID is 2.25.&lt;seed&gt;-derived.</summary>
    public static string Write(string directory, int seed, string sopClassUid = CtImageStorage, int rows = 64, int columns = 64,
        DicomTransferSyntax? transferSyntax = null, string? studyUid = null, string? seriesUid = null)
    {
        var instanceUid = $"2.25.{1000000 + seed}";
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTags.SOPClassUID, sopClassUid);
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, instanceUid);
        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, studyUid ?? "2.25.42");
        dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid ?? "2.25.4242");
        dataset.AddOrUpdate(DicomTags.Modality, sopClassUid == MrImageStorage ? "MR" : "CT");
        dataset.AddOrUpdate(DicomTags.PatientID, "SYNTH-" + seed);
        dataset.AddOrUpdate(DicomTags.InstanceNumber, (seed % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        dataset.AddOrUpdate(DicomTags.Rows, (ushort)rows);
        dataset.AddOrUpdate(DicomTags.Columns, (ushort)columns);
        dataset.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        dataset.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        dataset.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
        dataset.AddOrUpdate(DicomTags.HighBit, (ushort)15);
        dataset.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        var pixels = new byte[rows * columns * 2];
        new Random(seed).NextBytes(pixels);
        dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        var path = Path.Combine(directory, instanceUid + ".dcm");
        using var stream = File.Create(path);
        new DicomFile(dataset, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian).Save(stream);
        return path;
    }
}
