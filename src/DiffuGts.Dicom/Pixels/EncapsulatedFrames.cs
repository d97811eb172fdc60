using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Dicom.Pixels;

/// <summary>
/// Finds the fragments of one frame in encapsulated Pixel Data (PS3.5 §A.4): by the Extended Offset Table (7FE0,0001) and
/// its lengths (7FE0,0002), else the Basic Offset Table, else one fragment per frame, else (no table, more fragments than
/// frames) by the JPEG end-of-image marker that ends each frame's last fragment.
/// </summary>
internal static class EncapsulatedFrames
{
    /// <summary>Bytes of an item header (FFFE,E000) + 32-bit length: offsets in both tables count them.</summary>
    private const int ItemHeaderLength = 8;

    public static ReadOnlyMemory<byte> GetFrame(DicomDataset dataset, DicomFragmentSequence pixels, int frames, int index)
    {
        var fragments = pixels.Fragments;
        if (dataset.TryGetElement(DicomTags.ExtendedOffsetTable, out _))
        {
            var offsets = dataset.GetValues<ulong>(DicomTags.ExtendedOffsetTable);
            var lengths = dataset.TryGetElement(DicomTags.ExtendedOffsetTableLengths, out _)
                ? dataset.GetValues<ulong>(DicomTags.ExtendedOffsetTableLengths)
                : [];
            if (offsets.Length != frames)
            {
                throw Error($"the Extended Offset Table has {offsets.Length} entries for {frames} frames");
            }

            var first = FragmentAt(pixels, offsets[index]);
            var frame = fragments[first];
            return lengths.Length == frames && lengths[index] <= (ulong)frame.Length ? frame[..(int)lengths[index]] : frame;
        }

        if (pixels.BasicOffsetTable.Count > 0)
        {
            if (pixels.BasicOffsetTable.Count != frames)
            {
                throw Error($"the Basic Offset Table has {pixels.BasicOffsetTable.Count} entries for {frames} frames");
            }

            var first = FragmentAt(pixels, pixels.BasicOffsetTable[index]);
            var end = index + 1 < frames ? FragmentAt(pixels, pixels.BasicOffsetTable[index + 1]) : fragments.Count;
            return Concatenate(pixels, first, end);
        }

        if (fragments.Count == frames)
        {
            return fragments[index];
        }

        if (frames == 1)
        {
            return Concatenate(pixels, 0, fragments.Count);
        }

        var ranges = SplitAtEndOfImage(fragments);
        if (ranges.Count != frames)
        {
            throw Error($"{fragments.Count} fragments without an offset table cannot be assigned to {frames} frames");
        }

        return Concatenate(pixels, ranges[index].Start, ranges[index].End);
    }

    /// <summary>The index of the fragment whose item starts at <paramref name="offset"/> from the first fragment item.</summary>
    private static int FragmentAt(DicomFragmentSequence pixels, ulong offset)
    {
        ulong position = 0;
        for (var i = 0; i < pixels.Fragments.Count; i++)
        {
            if (position == offset)
            {
                return i;
            }

            position += (ulong)(ItemHeaderLength + pixels.Fragments[i].Length + (pixels.Fragments[i].Length & 1));
        }

        throw Error($"offset {offset} in the offset table does not start a fragment");
    }

    private static ReadOnlyMemory<byte> Concatenate(DicomFragmentSequence pixels, int start, int end)
    {
        if (end - start == 1)
        {
            return pixels.Fragments[start];
        }

        var total = 0;
        for (var i = start; i < end; i++)
        {
            total = checked(total + pixels.Fragments[i].Length);
        }

        var joined = new byte[total];
        var at = 0;
        for (var i = start; i < end; i++)
        {
            pixels.Fragments[i].Span.CopyTo(joined.AsSpan(at));
            at += pixels.Fragments[i].Length;
        }

        return joined;
    }

    /// <summary>A JPEG frame ends with EOI (FF D9), possibly followed by one padding byte (PS3.5 §A.4, §8.2.1).</summary>
    private static List<(int Start, int End)> SplitAtEndOfImage(List<ReadOnlyMemory<byte>> fragments)
    {
        var ranges = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < fragments.Count; i++)
        {
            var span = fragments[i].Span.TrimEnd((byte)0);
            if (span.Length >= 2 && span[^2] == 0xFF && span[^1] == 0xD9)
            {
                ranges.Add((start, i + 1));
                start = i + 1;
            }
        }

        return ranges;
    }

    private static DicomFormatException Error(string reason) => new(reason + " (PS3.5 §A.4)", 0, DicomTags.PixelData.ToString());
}
