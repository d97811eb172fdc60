namespace DiffuGts.Imaging.Series;

/// <summary>Why a set of instances cannot become one regular volume. Each has its own code so the node can record it.</summary>
public enum SeriesVolumeError
{
    /// <summary>No image instances were given (or all were dropped as localizers).</summary>
    NoImages = 1,

    /// <summary>Instances from more than one Series Instance UID.</summary>
    MixedSeries,

    /// <summary>Instances with different Frame of Reference UIDs (or one missing).</summary>
    MixedFrameOfReference,

    /// <summary>Image Position/Orientation (Patient) or Pixel Spacing missing or malformed (PS3.3 C.7.6.2).</summary>
    MissingGeometry,

    /// <summary>Image Orientation (Patient) differs between slices (a localizer or a second stack mixed in).</summary>
    InconsistentOrientation,

    /// <summary>Rows/Columns differ between slices.</summary>
    MixedImageSize,

    /// <summary>Pixel Spacing differs between slices.</summary>
    InconsistentPixelSpacing,

    /// <summary>Two slices at the same position along the slice normal.</summary>
    DuplicatePosition,

    /// <summary>A gap along the slice normal larger than 1.5× the usual spacing (a slice is missing).</summary>
    MissingSlice,

    /// <summary>Slice spacing varies beyond tolerance without a clear gap.</summary>
    NonUniformSpacing,

    /// <summary>Slice positions move in-plane from slice to slice (a gantry-tilted, sheared stack).</summary>
    GantryTilt,

    /// <summary>Pixel data that is not single-sample greyscale, or in a transfer syntax without a decoder.</summary>
    UnsupportedPixelData,
}
