using DiffuGts.Dicom;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Series;

/// <summary>
/// A CT/MR series as one volume in modality units (HU for CT), with the source image of every slice (k order) and the first
/// instance's dataset, whose patient, study and frame-of-reference attributes derived objects copy.
/// </summary>
public sealed class SeriesVolume
{
    internal SeriesVolume(Volume<float> volume, IReadOnlyList<SourceSlice> slices, DicomDataset reference, bool sourceWasLossy)
    {
        Volume = volume;
        Slices = slices;
        Reference = reference;
        SourceWasLossy = sourceWasLossy;
    }

    public Volume<float> Volume { get; }

    public VolumeGeometry Geometry => Volume.Geometry;

    /// <summary>Source image of slice k (index k), in increasing position along the slice normal.</summary>
    public IReadOnlyList<SourceSlice> Slices { get; }

    /// <summary>The first instance (pixel data and per-frame groups not needed; treat as read-only).</summary>
    public DicomDataset Reference { get; }

    /// <summary>True when any source had Lossy Image Compression "01" (derived objects must say so, PS3.3 C.8.20.2).</summary>
    public bool SourceWasLossy { get; }
}
