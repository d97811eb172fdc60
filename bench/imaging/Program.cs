using System.Diagnostics;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

// Imaging benchmark (not a test): SEG creation for a 512×512×300 CT with 3 segments, plus the volume operations on the same
// grid. Run: dotnet run -c Release --project bench/imaging [-- slices]. Prints seconds and memory per step.
var slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
const int Size = 512;
var geometry = VolumeGeometry.Axial(Size, Size, slices, new Vector3D(0.7, 0.7, 1.0), new Vector3D(-179, -179, -150));

var files = new List<DicomFile>(slices);
for (var k = 0; k < slices; k++)
{
    var ds = new DicomDataset();
    ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
    ds.AddOrUpdate(DicomTags.SOPInstanceUID, $"1.2.826.0.1.3680043.10.99.{k + 1}");
    ds.AddOrUpdate(DicomTags.StudyInstanceUID, "1.2.826.0.1.3680043.10.99");
    ds.AddOrUpdate(DicomTags.SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.0");
    ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, "1.2.826.0.1.3680043.10.99.1");
    ds.AddOrUpdate(DicomTags.Modality, "CT");
    ds.AddOrUpdate(DicomTags.PatientName, "Bench^Phantom");
    ds.AddOrUpdate(DicomTags.PatientID, "BENCH");
    var p = geometry.IndexToPatient(0, 0, k);
    ds.AddOrUpdate(DicomTags.ImagePositionPatient, p.X, p.Y, p.Z);
    ds.AddOrUpdate(DicomTags.ImageOrientationPatient, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
    ds.AddOrUpdate(DicomTags.PixelSpacing, 0.7, 0.7);
    ds.AddOrUpdate(DicomTags.SliceThickness, 1.0);
    ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
    ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
    ds.AddOrUpdate(DicomTags.Rows, (ushort)Size);
    ds.AddOrUpdate(DicomTags.Columns, (ushort)Size);
    ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
    ds.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
    ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
    ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1);
    ds.AddOrUpdate(DicomTags.RescaleIntercept, -1024.0);
    ds.AddOrUpdate(DicomTags.RescaleSlope, 1.0);
    var pixels = new short[Size * Size];
    for (var n = 0; n < pixels.Length; n++)
    {
        pixels[n] = (short)(1024 + 40 + (n * 31 + k) % 60);
    }

    ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
    files.Add(new DicomFile(ds));
}

SeriesVolume series = null!;
Measure("series -> volume (HU)", () => series = SeriesVolumeBuilder.Build(files));
files.Clear();

var centres = new[] { (180, 200, slices / 3, 30), (330, 260, slices / 2, 45), (260, 360, 2 * slices / 3, 20) };
var segments = new List<(SegmentDefinition, Volume<byte>)>();
foreach (var (cx, cy, cz, r) in centres)
{
    var mask = new Volume<byte>(geometry);
    for (var k = Math.Max(0, cz - r); k <= Math.Min(slices - 1, cz + r); k++)
    {
        for (var j = cy - r; j <= cy + r; j++)
        {
            for (var i = cx - r; i <= cx + r; i++)
            {
                if ((i - cx) * (i - cx) + (j - cy) * (j - cy) + (k - cz) * (k - cz) <= r * r)
                {
                    mask[i, j, k] = 1;
                }
            }
        }
    }

    segments.Add((new SegmentDefinition($"Lesion {segments.Count + 1}"), mask));
}

byte[] seg = [];
Measure("SEG create + encode (3 segments)", () => seg = SegmentationWriter.CreateFile(series, segments)!.ToArray());
Console.WriteLine($"  SEG size {seg.Length / 1024.0 / 1024.0:F2} MiB");
Measure("SEG create + encode (3 segments, 2nd run)", () => seg = SegmentationWriter.CreateFile(series, segments)!.ToArray());
var overlaySegments = segments.Select(s => new OverlaySegment(s.Item1.Label, new RgbColor(255, 48, 48), s.Item2)).ToList();
var scWriter = new SecondaryCaptureWriter(new SecondaryCaptureOptions { Slices = new OverlaySliceSelection { Policy = OverlaySlicePolicy.AllWithFindings } });
Measure("SC overlays (all slices with findings)", () => scWriter.Create(files.Select(f => f.Dataset).ToList(), series.Volume, overlaySegments,
    new OverlayModelInfo("bench", "1")));
Measure("window/level to 8-bit", () => DisplayWindow.CtSoftTissue.Apply(series.Volume));
Measure("resample trilinear to 1.5 mm", () => Resampler.Linear(series.Volume, geometry.WithSpacing(new Vector3D(1.5, 1.5, 1.5))));
Measure("resample nearest (labels) to 1.5 mm", () => Resampler.Nearest(segments[0].Item2, geometry.WithSpacing(new Vector3D(1.5, 1.5, 1.5))));
Measure("connected components (26)", () => ConnectedComponents.Label(segments[1].Item2));
Measure("dilate ball r=2", () => Morphology.Dilate(segments[1].Item2, StructuringElement.Ball(2)));
Measure("gaussian sigma 1 mm", () => GaussianSmoothing.Smooth(series.Volume, 1.0));

static void Measure(string name, Action action)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var sw = Stopwatch.StartNew();
    action();
    sw.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    using var process = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-44} {sw.Elapsed.TotalSeconds,7:F3} s   allocated {allocated / 1048576.0,8:F1} MiB   peak working set {process.PeakWorkingSet64 / 1048576.0,8:F0} MiB"));
}
