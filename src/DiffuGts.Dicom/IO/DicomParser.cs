using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Reads data elements into a dataset (PS3.5 §7). Nesting is kept on an explicit stack (as System.Formats.Cbor does), so
/// deep or hostile input cannot overflow the call stack; depth is capped by <see cref="DicomReadOptions.MaxNestingDepth"/>.
/// Every problem is a <see cref="DicomFormatException"/> with the byte offset and the tag path.
/// </summary>
internal sealed partial class DicomParser
{
    /// <summary>PS3.5 §7.1.1: a length of FFFFFFFFH means undefined length.</summary>
    internal const uint UndefinedLength = 0xFFFFFFFF;

    private const int TagLength = 4;
    private const int ItemHeaderLength = 8;

    private readonly ByteSource source;
    private readonly DicomReadOptions options;
    private readonly List<string> warnings;
    private readonly Stack<Frame> stack = new();
    private DicomTag currentTag;
    private bool hasCurrentTag;

    private readonly IDicomReaderObserver observer;

    public DicomParser(ByteSource source, IDicomReaderObserver observer, DicomReadOptions options, List<string> warnings)
    {
        this.source = source;
        this.observer = observer;
        this.options = options;
        this.warnings = warnings;
    }

    private bool Strict => options.Mode == DicomReadMode.Strict;

    /// <summary>
    /// Reports elements to the observer until the input ends, or until <paramref name="stopBefore"/> returns true for the
    /// next top-level tag (which is left unread). Returns true when it stopped before such a tag.
    /// </summary>
    public bool Parse(bool explicitVR, bool bigEndian, Func<DicomTag, bool>? stopBefore = null)
    {
        stack.Clear();
        stack.Push(new DatasetFrame(-1, explicitVR, bigEndian, null, -1));
        try
        {
            while (stack.Count > 0)
            {
                var stop = stack.Peek() is DatasetFrame dataset ? StepDataset(dataset, stopBefore) : StepSequence((SequenceFrame)stack.Peek());
                if (stop)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException or InvalidOperationException or EndOfStreamException
                                       or IOException && ex is not DicomFormatException)
        {
            throw Error($"unreadable data: {ex.Message}", source.Position, ex);
        }
    }

    /// <summary>One step inside a dataset or item: one element header (and its value, unless it opens a sequence).</summary>
    private bool StepDataset(DatasetFrame frame, Func<DicomTag, bool>? stopBefore)
    {
        hasCurrentTag = false;
        if (frame.End >= 0 && source.Position >= frame.End)
        {
            if (source.Position > frame.End)
            {
                throw Error($"elements run {source.Position - frame.End} bytes past the end of their item", source.Position);
            }

            Pop();
            return false;
        }

        if (source.AtEnd)
        {
            if (frame.Sequence is not null)
            {
                Recover("the input ends inside an undefined-length item", source.Position, popAll: true);
                return false;
            }

            Pop();
            return false;
        }

        var start = source.Position;
        Span<byte> tagBytes = stackalloc byte[TagLength];
        var available = source.Peek(tagBytes);
        if (available < TagLength)
        {
            Recover($"{available} trailing bytes cannot hold an element", start, popAll: true);
            return false;
        }

        var tag = ReadTag(tagBytes, frame.BigEndian);
        if (frame.Sequence is null && stopBefore is not null && stopBefore(tag))
        {
            return true;
        }

        if (tag.IsItemOrDelimiter)
        {
            HandleDelimiterInDataset(frame, tag, start);
            return false;
        }

        SetCurrent(tag);
        var (vr, length) = ReadElementHeader(frame, tag, start);
        frame.CheckOrder(tag, this, start);

        if (length == UndefinedLength)
        {
            OpenUndefinedLength(frame, tag, vr, start);
            return false;
        }

        CheckLength(length, start);
        if (vr == DicomVR.SQ)
        {
            OpenSequence(frame, tag, frame.ExplicitVR, frame.BigEndian, source.Position + length, start);
            return false;
        }

        var value = ReadValue(vr, (int)length, start, frame.BigEndian);
        observer.OnElement(new DicomElement(tag, vr, value));
        return false;
    }

    /// <summary>One step inside a sequence: the next item header, or the end of the sequence.</summary>
    private bool StepSequence(SequenceFrame frame)
    {
        if (frame.End >= 0 && source.Position >= frame.End)
        {
            if (source.Position > frame.End)
            {
                throw Error($"items run {source.Position - frame.End} bytes past the end of their sequence", source.Position);
            }

            Pop();
            return false;
        }

        var start = source.Position;
        Span<byte> header = stackalloc byte[ItemHeaderLength];
        if (!source.TryRead(header))
        {
            Recover("the input ends inside a sequence", start, popAll: true);
            return false;
        }

        var tag = ReadTag(header, frame.BigEndian);
        var length = ReadUInt32(header[4..], frame.BigEndian);
        if (tag == DicomTag.SequenceDelimitationItem)
        {
            if (frame.End >= 0)
            {
                Warn("a sequence delimiter ends a sequence of defined length", start);
            }

            Pop();
            return false;
        }

        if (tag != DicomTag.Item)
        {
            throw Error($"expected an item (FFFE,E000) in the sequence, found {tag}", start);
        }

        if (length != UndefinedLength)
        {
            CheckLength(length, start);
        }

        var index = frame.ItemCount++;
        PushFrame(new DatasetFrame(length == UndefinedLength ? -1 : source.Position + length, frame.ExplicitVR, frame.BigEndian, frame, index), start);
        observer.OnBeginItem(index);
        return false;
    }

    private void HandleDelimiterInDataset(DatasetFrame frame, DicomTag tag, long start)
    {
        Span<byte> header = stackalloc byte[ItemHeaderLength];
        source.TryRead(header);
        if (tag == DicomTag.ItemDelimitationItem && frame.Sequence is not null && frame.End < 0)
        {
            Pop();
            return;
        }

        if (tag == DicomTag.SequenceDelimitationItem && frame.Sequence is not null && !Strict)
        {
            // An undefined-length item that lacks its delimiter: the sequence ends here (PS3.5 §7.5.2).
            Warn("an item ends without its item delimitation item", start);
            Pop();
            Pop();
            return;
        }

        if (tag == DicomTag.ItemDelimitationItem && frame.Sequence is not null && !Strict)
        {
            Warn("an item delimiter ends an item of defined length", start);
            return;
        }

        throw Error($"unexpected {tag} outside a sequence", start);
    }

    private (DicomVR Vr, uint Length) ReadElementHeader(DatasetFrame frame, DicomTag tag, long start)
    {
        Span<byte> header = stackalloc byte[12];
        if (!frame.ExplicitVR)
        {
            if (!source.TryRead(header[..8]))
            {
                throw Error("the input ends inside an element header", start);
            }

            return (ImplicitVR(tag), ReadUInt32(header[4..], frame.BigEndian));
        }

        if (!source.TryRead(header[..8]))
        {
            throw Error("the input ends inside an element header", start);
        }

        if (!DicomVR.TryParse(header[4], header[5], out var vr))
        {
            if (!IsUpperLetter(header[4]) || !IsUpperLetter(header[5]))
            {
                throw Error($"bytes {header[4]:X2} {header[5]:X2} are not a value representation", start + 4);
            }

            // PS3.5 §7.1.2: a VR this reader does not know uses the 4-byte length layout.
            Warn($"unknown VR '{(char)header[4]}{(char)header[5]}' read as UN", start + 4);
            vr = DicomVR.UN;
            return (vr, ReadLongLength(header, start));
        }

        if (vr.HasLongLength)
        {
            return (vr, ReadLongLength(header, start));
        }

        return (vr, frame.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[6..]));

        uint ReadLongLength(Span<byte> h, long s)
        {
            if (!source.TryRead(h[8..12]))
            {
                throw Error("the input ends inside an element header", s);
            }

            return ReadUInt32(h[8..], frame.BigEndian);
        }
    }

    private void OpenUndefinedLength(DatasetFrame frame, DicomTag tag, DicomVR vr, long start)
    {
        if (vr == DicomVR.SQ)
        {
            OpenSequence(frame, tag, frame.ExplicitVR, frame.BigEndian, -1, start);
            return;
        }

        if (vr == DicomVR.UN)
        {
            // PS3.5 §6.2.2: an undefined-length UN holds a sequence encoded in Implicit VR Little Endian.
            OpenSequence(frame, tag, explicitVR: false, bigEndian: false, end: -1, start);
            return;
        }

        if (tag == DicomTags.PixelData || (vr == DicomVR.OB || vr == DicomVR.OW))
        {
            observer.OnFragmentSequence(ReadFragments(tag, vr, frame.BigEndian));
            return;
        }

        throw Error($"undefined length is not allowed for VR {vr} (PS3.5 §7.1.1)", start);
    }

    private void OpenSequence(DatasetFrame frame, DicomTag tag, bool explicitVR, bool bigEndian, long end, long start)
    {
        PushFrame(new SequenceFrame(tag, end, explicitVR, bigEndian), start);
        observer.OnBeginSequence(tag);
    }

    /// <summary>Encapsulated Pixel Data (PS3.5 §A.4): the Basic Offset Table item, the fragments, then a sequence delimiter.</summary>
    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, bool bigEndian)
    {
        var offsets = new List<uint>();
        var fragments = new List<ReadOnlyMemory<byte>>();
        Span<byte> header = stackalloc byte[ItemHeaderLength];
        var first = true;
        while (true)
        {
            var start = source.Position;
            if (!source.TryRead(header))
            {
                throw Error("the input ends inside encapsulated pixel data (no sequence delimiter)", start);
            }

            var itemTag = ReadTag(header, bigEndian);
            var length = ReadUInt32(header[4..], bigEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw Error($"expected a fragment item (FFFE,E000) in encapsulated pixel data, found {itemTag}", start);
            }

            if (length == UndefinedLength)
            {
                throw Error("a pixel data fragment has undefined length (PS3.5 §A.4)", start);
            }

            CheckLength(length, start);
            var value = source.TryReadMemory((int)length) ?? throw PastEnd(length, start);
            if (first)
            {
                if (length % 4 != 0)
                {
                    throw Error($"the Basic Offset Table has {length} bytes, not a multiple of 4 (PS3.5 §A.4)", start);
                }

                for (var i = 0; i < value.Length; i += 4)
                {
                    offsets.Add(BinaryPrimitives.ReadUInt32LittleEndian(value.Span[i..]));
                }

                first = false;
                continue;
            }

            fragments.Add(value);
        }

        return new DicomFragmentSequence(tag, vr, offsets, fragments);
    }

    private ReadOnlyMemory<byte> ReadValue(DicomVR vr, int length, long start, bool bigEndian)
    {
        if (length % 2 != 0)
        {
            Strictness($"odd value length {length} (PS3.5 §7.1.1 requires even lengths)", start);
        }

        var size = vr == DicomVR.AT ? 2 : vr.UnitSize;
        if (size > 1 && length % size != 0)
        {
            Strictness($"length {length} is not a multiple of {size}, the size of one {vr} value", start);
        }

        var value = source.TryReadMemory(length) ?? throw PastEnd((uint)length, start);
        if (bigEndian && size > 1)
        {
            value = SwapToLittleEndian(value.Span, size);
        }

        return value;
    }

    /// <summary>Explicit VR Big Endian: binary numbers are swapped once, so the model holds little-endian bytes only.</summary>
    internal static byte[] SwapToLittleEndian(ReadOnlySpan<byte> value, int size)
    {
        var swapped = value.ToArray();
        var whole = swapped.Length - (swapped.Length % size);
        for (var i = 0; i < whole; i += size)
        {
            swapped.AsSpan(i, size).Reverse();
        }

        return swapped;
    }

    private void CheckLength(uint length, long start)
    {
        if (length > options.MaxElementLength)
        {
            throw Error($"length {length} exceeds the configured maximum of {options.MaxElementLength} bytes", start);
        }

        if (source.Remaining is { } remaining && length > remaining)
        {
            throw PastEnd(length, start);
        }
    }

    private DicomFormatException PastEnd(uint length, long start) =>
        Error(source.Remaining is { } remaining
            ? $"length {length} runs past the end of the input ({remaining} bytes remain)"
            : $"length {length} runs past the end of the input", start);

    private void PushFrame(Frame frame, long start)
    {
        // Each nesting level is a sequence frame plus an item frame.
        if (stack.Count / 2 >= options.MaxNestingDepth)
        {
            throw Error($"sequences nest deeper than the configured maximum of {options.MaxNestingDepth}", start);
        }

        stack.Push(frame);
    }

    /// <summary>Closes the innermost item or sequence and tells the observer.</summary>
    private void Pop()
    {
        switch (stack.Pop())
        {
            case DatasetFrame { Sequence: not null }:
                observer.OnEndItem();
                break;
            case SequenceFrame:
                observer.OnEndSequence();
                break;
        }
    }

    /// <summary>PS3.5 Annex A.1: in implicit VR, Pixel Data and Overlay Data ("OB or OW") are OW.</summary>
    private static DicomVR ImplicitVR(DicomTag tag) =>
        DicomDictionary.Find(tag) is { ValueRepresentations: var vrs } && vrs.Contains(DicomVR.OW) ? DicomVR.OW : DicomDictionary.GetVR(tag);

    private static bool IsUpperLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static DicomTag ReadTag(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes), BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]));

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private void SetCurrent(DicomTag tag)
    {
        currentTag = tag;
        hasCurrentTag = true;
    }

    /// <summary>A departure from the standard: an error in strict mode, a warning otherwise.</summary>
    private void Strictness(string reason, long offset)
    {
        if (Strict)
        {
            throw Error(reason, offset);
        }

        Warn(reason, offset);
    }

    /// <summary>Truncated input: strict mode fails; lenient mode keeps what was read and stops.</summary>
    private void Recover(string reason, long offset, bool popAll)
    {
        if (Strict)
        {
            throw Error(reason, offset);
        }

        Warn(reason, offset);
        if (popAll)
        {
            stack.Clear();
        }
    }

    private void Warn(string reason, long offset) =>
        warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{reason} (at byte {offset}{PathSuffix()})"));

    private string PathSuffix() => TagPath() is { Length: > 0 } path ? ", element " + path : "";

    private DicomFormatException Error(string reason, long offset, Exception? inner = null) => new(reason, offset, TagPath(), inner);

    /// <summary>"(0008,1115)[0]/(0008,1199)[2]/(0008,1155)": each open sequence and item index, then the current element.</summary>
    private string TagPath()
    {
        var parts = new List<string>();
        foreach (var frame in stack)
        {
            if (frame is DatasetFrame { Sequence: { } sequence } item)
            {
                parts.Add($"{sequence.Tag}[{item.Index}]");
            }
            else if (frame is SequenceFrame open && (stack.Peek() == frame))
            {
                parts.Add(open.Tag.ToString());
            }
        }

        parts.Reverse();
        var path = new StringBuilder(string.Join('/', parts));
        if (hasCurrentTag && stack.Peek() is DatasetFrame)
        {
            if (path.Length > 0)
            {
                path.Append('/');
            }

            path.Append(currentTag.ToString());
        }

        return path.ToString();
    }
}
