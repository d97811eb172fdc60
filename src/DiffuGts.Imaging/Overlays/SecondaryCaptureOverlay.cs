using DiffuGts.Dicom;

namespace DiffuGts.Imaging.Overlays;

/// <summary>One overlay instance: the slice it shows, its DICOM dataset (save with <see cref="DicomFile"/>) and its pixels.</summary>
public sealed record SecondaryCaptureOverlay(int SliceIndex, DicomDataset Dataset, RgbImage Image);
