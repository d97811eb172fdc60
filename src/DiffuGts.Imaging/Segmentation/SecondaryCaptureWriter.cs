using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Rendering;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Secondary Capture Image Storage (1.2.840.10008.5.1.4.1.1.7, PS3.3 A.8.1) RGB overlays, one instance per selected slice,
/// in a new series of the source study (facts §5.2): windowed slice, segment outlines and translucent fill in each
/// segment's colour, and a burned-in legend (segment label, model name/version, "AI result - verify before clinical use"),
/// hence Burned In Annotation YES. Each image references its source slice (Source Image Sequence, with purpose of
/// reference) and describes its derivation. No Image Plane or Frame of Reference: SC has neither module.
/// </summary>
public static class SecondaryCaptureWriter
{
    public const string Disclaimer = "AI result - verify before clinical use";

    /// <summary>The overlay datasets; empty when nothing was found and the no-findings behaviour is SendNothing.</summary>
    public static IReadOnlyList<DicomDataset> Create(SeriesVolume source,
        IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments, SecondaryCaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        options ??= new SecondaryCaptureOptions();
        var common = options.Common;
        var g = source.Geometry;
        foreach (var (segment, mask) in segments)
        {
            if (!mask.Geometry.SameGridAs(g))
            {
                throw new ArgumentException($"mask of segment '{segment.Label}' is not on the source grid", nameof(segments));
            }
        }

        var slices = SelectSlices(segments, g, options.Slices);
        var noFindings = slices.Count == 0;
        if (noFindings)
        {
            if (common.NoFindings == NoFindingsBehavior.SendNothing)
            {
                return [];
            }

            slices = [g.SizeZ / 2];
        }

        var modality = source.Reference.GetSingleStringOrDefault(DicomTags.Modality) ?? "OT";
        var window = options.Window ?? (modality == "CT" ? DisplayWindow.CtSoftTissue : DisplayWindow.FromPercentiles(source.Volume.Data));
        var seriesUid = DerivedObject.Uid(common, source, "sc-series");
        var when = common.ContentDateTime ?? DateTimeOffset.Now;
        var model = $"{common.AlgorithmName} {common.AlgorithmVersion}";
        var results = new List<DicomDataset>();
        for (var n = 0; n < slices.Count; n++)
        {
            var k = slices[n];
            var present = segments.Where(s => s.Mask.Slice(k).ContainsAnyExcept((byte)0)).ToList();
            var legend = new List<string>();
            legend.AddRange(noFindings
                ? [$"No findings: {string.Join(", ", segments.Select(s => s.Segment.Label))}"]
                : present.Select(s => s.Segment.Label));
            legend.Add($"Model: {model}");
            legend.Add(Disclaimer);
            var rgb = OverlayRenderer.RenderSlice(source.Volume, k, window,
                [.. present.Select(s => (s.Mask, s.Segment.Color))], legend, options.FillOpacity);
            results.Add(Build(source, k, n + 1, rgb, seriesUid, when, options, model, modality, legend));
        }

        return results;
    }

    internal static List<int> SelectSlices(IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments, VolumeGeometry g,
        OverlaySliceSelection selection)
    {
        var plane = g.SizeX * g.SizeY;
        if (selection == OverlaySliceSelection.AllWithFindings)
        {
            return [.. Enumerable.Range(0, g.SizeZ).Where(k => segments.Any(s => s.Mask.Data.AsSpan(k * plane, plane).ContainsAnyExcept((byte)0)))];
        }

        var union = new Volume<byte>(g);
        foreach (var (_, mask) in segments)
        {
            for (var n = 0; n < mask.Data.Length; n++)
            {
                union.Data[n] |= mask.Data[n] != 0 ? (byte)1 : (byte)0;
            }
        }

        var components = ConnectedComponents.Label(union, Connectivity.Full26);
        var largest = components.Largest;
        if (largest == 0)
        {
            return [];
        }

        var area = new int[g.SizeZ];
        var labels = components.Labels.Data;
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] == largest)
            {
                area[n / plane]++;
            }
        }

        var first = Array.FindIndex(area, a => a > 0);
        var last = Array.FindLastIndex(area, a => a > 0);
        var widest = Array.IndexOf(area, area.Max());
        return [.. new[] { first, widest, last }.Distinct().Order()];
    }

    private static DicomDataset Build(SeriesVolume source, int k, int instanceNumber, byte[] rgb, string seriesUid, DateTimeOffset when,
        SecondaryCaptureOptions options, string model, string sourceModality, List<string> legend)
    {
        var common = options.Common;
        var g = source.Geometry;
        var slice = source.Slices[k];
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SecondaryCaptureImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DerivedObject.Uid(common, source, "sc-instance", slice.SopInstanceUid,
            (slice.FrameNumber ?? 0).ToString(CultureInfo.InvariantCulture)));
        DerivedObject.CopyPatientAndStudy(source.Reference, ds);
        DerivedObject.AddContentDateTime(ds, when);
        ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.Modality, options.Modality);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, options.SeriesNumber);
        ds.AddOrUpdate(DicomTags.SeriesDescription, options.SeriesDescription);
        ds.AddOrUpdate(DicomTags.InstanceNumber, instanceNumber);
        // Laterality (General Series, 2C): dciodvfy requires it for SC; the overlay shows the source's body part, so copy it.
        if (source.Reference.TryGetItem(DicomTags.Laterality, out var laterality))
        {
            ds.AddOrUpdate(laterality);
        }
        else
        {
            ds.AddEmpty(DicomTags.Laterality);
        }

        DerivedObject.AddEquipment(ds, common);

        // SC Equipment (C.8.6.1): WSD = workstation render; Modality here is the original modality.
        ds.AddOrUpdate(DicomTags.ConversionType, "WSD");
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturer, common.Manufacturer);
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturerModelName, common.ManufacturerModelName);
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceSoftwareVersions, common.SoftwareVersion);
        ds.AddOrUpdate(DicomTags.DateOfSecondaryCapture, DateOnly.FromDateTime(when.DateTime));
        ds.AddOrUpdate(DicomTags.TimeOfSecondaryCapture, TimeOnly.FromDateTime(when.DateTime));

        // General Image (C.7.6.1): no IOP/IPP in SC, so Patient Orientation (2C) is written from the source directions.
        ds.AddOrUpdate(DicomTags.PatientOrientation, Orientation(g.Direction.C0), Orientation(g.Direction.C1));
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, "YES");
        ds.AddOrUpdate(DicomTags.RecognizableVisualFeatures, "NO");
        DerivedObject.AddLossyCompression(ds, source);

        // General Reference (C.12.4).
        ds.AddOrUpdate(DicomTags.DerivationDescription,
            $"AI segmentation overlay ({string.Join("; ", legend.Take(legend.Count - 2))}) on {sourceModality} slice; model {model}; {Disclaimer}");
        ds.AddOrUpdate(DicomTags.SourceImageSequence, DerivedObject.Reference(slice.SopClassUid, slice.SopInstanceUid, slice.FrameNumber, withPurpose: true));

        // Image Pixel, RGB (facts §5.2).
        DerivedObject.AddImagePixel(ds, g, samplesPerPixel: 3, "RGB", bits: 8);
        ds.AddOrUpdate(DicomTags.PlanarConfiguration, (ushort)0);
        var pixels = rgb.Length % 2 == 0 ? rgb : [.. rgb, 0];
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, pixels);
        return ds;
    }

    /// <summary>Patient Orientation letter of a direction (PS3.3 C.7.6.1.1.1): L/R on x, P/A on y, H/F on z, dominant first.</summary>
    private static string Orientation(Vector3D v)
    {
        var parts = new (double Magnitude, char Letter)[]
        {
            (Math.Abs(v.X), v.X >= 0 ? 'L' : 'R'),
            (Math.Abs(v.Y), v.Y >= 0 ? 'P' : 'A'),
            (Math.Abs(v.Z), v.Z >= 0 ? 'H' : 'F'),
        };
        return new string([.. parts.Where(p => p.Magnitude > 0.1).OrderByDescending(p => p.Magnitude).Select(p => p.Letter)]);
    }
}
