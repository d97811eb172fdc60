using DiffuGts.Dicom;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing;

/// <summary>
/// The encapsulated frames of a dataset and what a codec needs to decode them (PS3.3 C.7.6.3, PS3.5 A.4), read with
/// the tolerant getters so a fuzzed dataset gives null rather than an accessor error.
/// </summary>
public sealed record EncapsulatedImage(PixelFrameInfo Info, IReadOnlyList<ReadOnlyMemory<byte>> Frames, int FragmentCount)
{
    /// <summary>The Image Pixel attributes of a dataset; absent ones take their usual defaults.</summary>
    public static PixelFrameInfo FrameInfo(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new PixelFrameInfo(
            dataset.GetValueOrDefault(DicomTags.Rows, 0),
            dataset.GetValueOrDefault(DicomTags.Columns, 0),
            dataset.GetValueOrDefault(DicomTags.SamplesPerPixel, 1),
            dataset.GetValueOrDefault(DicomTags.BitsAllocated, 0),
            dataset.GetValueOrDefault(DicomTags.BitsStored, 0),
            dataset.GetValueOrDefault(DicomTags.PixelRepresentation, 0),
            dataset.GetValueOrDefault(DicomTags.PlanarConfiguration, 0));
    }

    /// <summary>The frames of encapsulated Pixel Data, or null when Pixel Data is absent or native.</summary>
    public static EncapsulatedImage? From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.TryGetItem(DicomTags.PixelData, out var item) || item is not DicomFragmentSequence pixels)
        {
            return null;
        }

        var frames = EncapsulatedFrames.Split(pixels.BasicOffsetTable, pixels.Fragments, dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1));
        return new EncapsulatedImage(FrameInfo(dataset), frames, pixels.Fragments.Count);
    }

    /// <summary>Every frame decoded and concatenated: the native Pixel Data value.</summary>
    public byte[] Decode(IPixelCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var length = Info.FrameLength;
        var pixels = new byte[checked(length * Frames.Count)];
        for (var f = 0; f < Frames.Count; f++)
        {
            codec.DecodeFrame(Frames[f].Span, Info, pixels.AsSpan(f * length, length));
        }

        return pixels;
    }
}
