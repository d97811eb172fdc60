namespace DiffuGts.Dicom.IO;

/// <summary>The explicit nesting stack: a dataset/item frame or a sequence frame, each with its own encoding.</summary>
internal sealed partial class DicomParser
{
    private abstract class Frame(long end, bool explicitVR, bool bigEndian)
    {
        /// <summary>Offset one past the last byte, or −1 for undefined length (ended by a delimiter).</summary>
        public long End { get; } = end;

        public bool ExplicitVR { get; } = explicitVR;

        public bool BigEndian { get; } = bigEndian;
    }

    private sealed class DatasetFrame(long end, bool explicitVR, bool bigEndian, SequenceFrame? sequence, int index)
        : Frame(end, explicitVR, bigEndian)
    {
        private DicomTag? last;

        /// <summary>The sequence this item belongs to; null for the top-level dataset.</summary>
        public SequenceFrame? Sequence { get; } = sequence;

        public int Index { get; } = index;

        /// <summary>PS3.5 §7.1: elements ascend by tag. Strict mode rejects disorder; lenient mode sorts and warns.</summary>
        public void CheckOrder(DicomTag tag, DicomParser parser, long offset)
        {
            if (last is { } previous && tag <= previous)
            {
                parser.Strictness(tag == previous ? $"{tag} appears twice" : $"{tag} follows {previous}: elements are out of order", offset);
            }

            last = tag;
        }
    }

    private sealed class SequenceFrame(DicomTag tag, long end, bool explicitVR, bool bigEndian) : Frame(end, explicitVR, bigEndian)
    {
        public DicomTag Tag { get; } = tag;

        /// <summary>Items begun so far; the next item's index.</summary>
        public int ItemCount { get; set; }
    }
}
