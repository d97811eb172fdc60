namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// What a codec needs to know of one frame (PS3.3 C.7.6.3 Image Pixel module): the decoded frame is
/// Rows × Columns × SamplesPerPixel samples of BitsAllocated bits, little-endian, in the given planar configuration.
/// </summary>
public readonly record struct PixelFrameInfo(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int PixelRepresentation,
    int PlanarConfiguration)
{
    /// <summary>Bytes of one decoded (native, little-endian) frame.</summary>
    public int FrameLength => checked(Rows * Columns * SamplesPerPixel * (BitsAllocated / 8));
}
