using DiffuGts.Dicom;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;

namespace DiffuGts.Interop.Tests.Overlays;

/// <summary>
/// A synthetic abdomen CT (the project's phantom) with a liver and a kidney lesion, source headers that match its grid, and
/// the two lesions as segments: the input a node hands to the SC writer.
/// </summary>
internal sealed class OverlayPhantomCase
{
    public static readonly OverlayModelInfo Model = new("DiffuGTS", "0.3.1");

    private static readonly Lazy<OverlayPhantomCase> Shared = new(() => new OverlayPhantomCase(256, 24));

    private OverlayPhantomCase(int size, int slices)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 7,
            SizeX = size,
            SizeY = size,
            SizeZ = slices,
            Lesions = [new LesionRequest(PhantomLabel.Liver, LesionKind.Hypodense), new LesionRequest(PhantomLabel.KidneyCortex, LesionKind.Hyperdense)],
        });
        var g = phantom.Geometry;
        Volume = phantom.Hu;
        Headers = SyntheticSeriesHeaders.Axial(g.SizeX, g.SizeY, g.SizeZ, (g.Spacing.X, g.Spacing.Y, g.Spacing.Z), (g.Origin.X, g.Origin.Y, g.Origin.Z));
        Segments =
        [
            new OverlaySegment("liver tumour", RgbColor.ForSegment(0), phantom.LesionMask.Map(v => (byte)(v == 1 ? 1 : 0))),
            new OverlaySegment("kidney tumour", RgbColor.ForSegment(1), phantom.LesionMask.Map(v => (byte)(v == 2 ? 1 : 0))),
        ];
    }

    public static OverlayPhantomCase Instance => Shared.Value;

    public Volume<float> Volume { get; }

    public IReadOnlyList<DicomDataset> Headers { get; }

    public IReadOnlyList<OverlaySegment> Segments { get; }

    /// <summary>Writes the overlay series as Part 10 files; returns their paths in slice order.</summary>
    public IReadOnlyList<string> WriteSeries(TempDirectory directory, SecondaryCaptureOptions? options = null)
    {
        var overlays = new SecondaryCaptureWriter(options).Create(Headers, Volume, Segments, Model);
        var paths = new List<string>();
        foreach (var overlay in overlays)
        {
            var path = directory.Combine($"sc-{overlay.SliceIndex:D3}.dcm");
            using var stream = File.Create(path);
            new DicomFile(overlay.Dataset).Save(stream);
            paths.Add(path);
        }

        return paths;
    }
}
