namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// Groups the fragments of encapsulated Pixel Data into frames (PS3.5 A.4): through the Basic Offset Table when it is
/// present, else one fragment per frame, else (one frame) all fragments. Takes BCL types so codecs stay independent of
/// the dataset model.
/// </summary>
public static class EncapsulatedFrames
{
    /// <summary>PS3.5 A.4: each fragment item has an 8-byte header (tag and length) before its value.</summary>
    private const int ItemHeaderLength = 8;

    /// <summary>
    /// Returns each frame's compressed bytes: a fragment's own memory where the frame is one fragment, otherwise the
    /// frame's fragments concatenated.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(
        IReadOnlyList<uint> basicOffsetTable, IReadOnlyList<ReadOnlyMemory<byte>> fragments, int numberOfFrames)
    {
        ArgumentNullException.ThrowIfNull(basicOffsetTable);
        ArgumentNullException.ThrowIfNull(fragments);
        if (numberOfFrames < 1)
        {
            throw new InvalidDataException($"Number of Frames {numberOfFrames} is not positive");
        }

        if (fragments.Count == 0)
        {
            throw new InvalidDataException("encapsulated Pixel Data has no fragments");
        }

        var firstFragments = basicOffsetTable.Count > 0
            ? FromOffsetTable(basicOffsetTable, fragments, numberOfFrames)
            : WithoutOffsetTable(fragments.Count, numberOfFrames);

        var frames = new ReadOnlyMemory<byte>[numberOfFrames];
        for (var f = 0; f < numberOfFrames; f++)
        {
            var first = firstFragments[f];
            var end = f + 1 < numberOfFrames ? firstFragments[f + 1] : fragments.Count;
            frames[f] = end - first == 1 ? fragments[first] : Concatenate(fragments, first, end);
        }

        return frames;
    }

    private static int[] FromOffsetTable(IReadOnlyList<uint> table, IReadOnlyList<ReadOnlyMemory<byte>> fragments, int numberOfFrames)
    {
        if (table.Count != numberOfFrames)
        {
            throw new InvalidDataException($"the Basic Offset Table has {table.Count} entries for {numberOfFrames} frames (PS3.5 A.4)");
        }

        var firsts = new int[numberOfFrames];
        long offset = 0;
        var fragment = 0;
        for (var f = 0; f < numberOfFrames; f++)
        {
            // Offsets count from the first fragment item's tag, so each fragment advances by its header plus its value.
            while (fragment < fragments.Count && offset < table[f])
            {
                offset += ItemHeaderLength + fragments[fragment].Length;
                fragment++;
            }

            if (offset != table[f] || fragment >= fragments.Count || (f > 0 && fragment <= firsts[f - 1]))
            {
                throw new InvalidDataException(
                    $"Basic Offset Table entry {f} ({table[f]}) does not point at the start of a fragment after the previous frame's (PS3.5 A.4)");
            }

            firsts[f] = fragment;
        }

        return firsts;
    }

    private static int[] WithoutOffsetTable(int fragmentCount, int numberOfFrames)
    {
        if (numberOfFrames == 1)
        {
            return [0];
        }

        if (fragmentCount != numberOfFrames)
        {
            throw new InvalidDataException(
                $"{fragmentCount} fragments for {numberOfFrames} frames and an empty Basic Offset Table: the frame boundaries are unknown");
        }

        return [.. Enumerable.Range(0, numberOfFrames)];
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int first, int end)
    {
        long length = 0;
        for (var i = first; i < end; i++)
        {
            length += fragments[i].Length;
        }

        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"a frame of {length} bytes is larger than one buffer can hold");
        }

        var frame = new byte[length];
        var at = 0;
        for (var i = first; i < end; i++)
        {
            fragments[i].Span.CopyTo(frame.AsSpan(at));
            at += fragments[i].Length;
        }

        return frame;
    }
}
