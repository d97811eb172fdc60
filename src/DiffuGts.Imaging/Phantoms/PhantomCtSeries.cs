using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// A phantom as a CT Image Storage series (PS3.3 A.3): one single-frame instance per axial slice with the Patient,
/// General Study, General Series, Frame of Reference, General Equipment, General Image, Image Plane, Image Pixel,
/// Contrast/Bolus, CT Image, VOI LUT and SOP Common modules. Pixels are unsigned 16-bit with 12 bits stored and
/// Rescale Intercept −1024 (stored value = HU + 1024). Every UID is derived from the options, so a rerun writes the
/// same study (the UIDs of a different seed or size differ).
/// </summary>
public static class PhantomCtSeries
{
    private const int UidAlgorithmVersion = 1;

    /// <summary>One dataset per slice, in increasing z (inferior to superior); instance numbers start at 1.</summary>
    public static IEnumerable<DicomDataset> Datasets(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var key = OptionsKey(phantom.Options);
        string Uid(string what) => DicomUid.Derive(UidAlgorithmVersion, "diffugts-phantom", PhantomGenerator.Version, key, what);
        var study = Uid("study");
        var series = Uid("series");
        var frame = Uid("frame-of-reference");
        var g = phantom.Geometry;
        var o = phantom.Options;
        var region = o.Region == PhantomRegion.Abdomen ? "abdomen" : "thorax";
        var phase = o.Phase == ContrastPhase.PortalVenous ? "portal venous" : "non-contrast";
        var seed = o.Seed.ToString(CultureInfo.InvariantCulture);
        for (var k = 0; k < g.SizeZ; k++)
        {
            var ds = new DicomDataset();
            // SOP Common (C.12.1)
            ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, Uid("instance-" + k.ToString(CultureInfo.InvariantCulture)));
            // Patient (C.7.1.1): synthetic, no PHI.
            ds.AddOrUpdate(DicomTags.PatientName, new DicomPersonName("PHANTOM^SEED" + seed));
            ds.AddOrUpdate(DicomTags.PatientID, "PHANTOM-" + seed);
            ds.AddEmpty(DicomTags.PatientBirthDate);
            ds.AddOrUpdate(DicomTags.PatientSex, "O");
            // General Study (C.7.2.1): a fixed date keeps files reproducible.
            ds.AddOrUpdate(DicomTags.StudyInstanceUID, study);
            ds.AddOrUpdate(DicomTags.StudyDate, "20000101");
            ds.AddOrUpdate(DicomTags.StudyTime, "120000");
            ds.AddEmpty(DicomTags.ReferringPhysicianName);
            ds.AddOrUpdate(DicomTags.StudyID, "1");
            ds.AddEmpty(DicomTags.AccessionNumber);
            ds.AddOrUpdate(DicomTags.StudyDescription, "DiffuGts synthetic CT phantom");
            // General Series (C.7.3.1); Patient Position is required for CT (C.7.3.1.1.2).
            ds.AddOrUpdate(DicomTags.Modality, "CT");
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, series);
            ds.AddOrUpdate(DicomTags.SeriesNumber, "1");
            ds.AddOrUpdate(DicomTags.SeriesDate, "20000101");
            ds.AddOrUpdate(DicomTags.SeriesTime, "120000");
            ds.AddOrUpdate(DicomTags.SeriesDescription, $"Phantom seed {seed} {region} {phase}");
            ds.AddOrUpdate(DicomTags.BodyPartExamined, o.Region == PhantomRegion.Abdomen ? "ABDOMEN" : "CHEST");
            ds.AddOrUpdate(DicomTags.PatientPosition, "HFS");
            // Frame of Reference (C.7.4.1)
            ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, frame);
            ds.AddEmpty(DicomTags.PositionReferenceIndicator);
            // General Equipment (C.7.5.1)
            ds.AddOrUpdate(DicomTags.Manufacturer, "DiffuGts");
            ds.AddOrUpdate(DicomTags.ManufacturerModelName, "diffugts phantom");
            ds.AddOrUpdate(DicomTags.SoftwareVersions, "phantom generator " + PhantomGenerator.Version);
            // General Image (C.7.6.1)
            ds.AddOrUpdate(DicomTags.InstanceNumber, (k + 1).ToString(CultureInfo.InvariantCulture));
            ds.AddOrUpdate(DicomTags.ContentDate, "20000101");
            ds.AddOrUpdate(DicomTags.ContentTime, "120000");
            ds.AddOrUpdate(DicomTags.AcquisitionNumber, "1");
            ds.AddOrUpdate(DicomTags.LossyImageCompression, "00");
            // Image Plane (C.7.6.2): rows run along +x, columns along +y (LPS), slices along +z.
            var position = g.IndexToPatient(0, 0, k);
            ds.AddOrUpdate(DicomTags.PixelSpacing, g.Spacing.Y, g.Spacing.X);
            ds.AddOrUpdate(DicomTags.ImageOrientationPatient,
                g.Direction.C0.X, g.Direction.C0.Y, g.Direction.C0.Z, g.Direction.C1.X, g.Direction.C1.Y, g.Direction.C1.Z);
            ds.AddOrUpdate(DicomTags.ImagePositionPatient, position.X, position.Y, position.Z);
            ds.AddOrUpdate(DicomTags.SliceThickness, g.Spacing.Z);
            ds.AddOrUpdate(DicomTags.SliceLocation, position.Z);
            // Contrast/Bolus (C.7.6.4)
            if (o.Phase == ContrastPhase.PortalVenous)
            {
                ds.AddOrUpdate(DicomTags.ContrastBolusAgent, "IODINATED CONTRAST");
            }

            // CT Image (C.8.2.1) and Image Pixel (C.7.6.3)
            ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "SECONDARY", "AXIAL");
            ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
            ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
            ds.AddOrUpdate(DicomTags.Rows, (ushort)g.SizeY);
            ds.AddOrUpdate(DicomTags.Columns, (ushort)g.SizeX);
            ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
            ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
            ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
            ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
            ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
            ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
            ds.AddOrUpdate(DicomTags.RescaleType, "HU");
            ds.AddOrUpdate(DicomTags.KVP, "120");
            ds.AddOrUpdate(DicomTags.ConvolutionKernel, "STANDARD");
            ds.AddOrUpdate(DicomTags.ReconstructionDiameter, Math.Min(g.SizeX * g.Spacing.X, g.SizeY * g.Spacing.Y));
            // VOI LUT (C.11.2): a soft-tissue window.
            ds.AddOrUpdate(DicomTags.WindowCenter, "40");
            ds.AddOrUpdate(DicomTags.WindowWidth, "400");
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, (ReadOnlyMemory<byte>)StoredPixels(phantom, k));
            yield return ds;
        }
    }

    /// <summary>Writes CT0001.dcm… (Explicit VR Little Endian) into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Write(Phantom phantom, string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        var n = 0;
        foreach (var ds in Datasets(phantom))
        {
            var path = Path.Combine(directory, $"CT{++n:D4}.dcm");
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(stream);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Stored value = HU − intercept, clamped to the 12 stored bits.</summary>
    private static byte[] StoredPixels(Phantom phantom, int k)
    {
        var slice = phantom.Hu.Slice(k);
        var bytes = new byte[slice.Length * 2];
        for (var n = 0; n < slice.Length; n++)
        {
            var stored = (ushort)Math.Clamp((int)Math.Round(slice[n]) + 1024, 0, 4095);
            bytes[2 * n] = (byte)stored;
            bytes[2 * n + 1] = (byte)(stored >> 8);
        }

        return bytes;
    }

    /// <summary>Everything that changes the voxels, as text: the input of every derived UID.</summary>
    internal static string OptionsKey(PhantomOptions o)
    {
        var s = o.EffectiveSpacing;
        var lesions = string.Join(",", o.Lesions.Select(l => LesionRequest.OrganName(l.Organ) + ":" + LesionRequest.KindName(l.Kind)));
        return string.Create(CultureInfo.InvariantCulture,
            $"seed={o.Seed};size={o.SizeX}x{o.SizeY}x{o.SizeZ};spacing={s.X:R}x{s.Y:R}x{s.Z:R};region={o.Region};phase={o.Phase};noise={o.NoiseHu:R};lesions={lesions}");
    }
}
