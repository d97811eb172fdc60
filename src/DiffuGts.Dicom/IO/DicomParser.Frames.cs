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

    private sealed class DatasetFrame(DicomDataset dataset, long end, bool explicitVR, bool bigEndian, SequenceFrame? sequence, int index)
        : Frame(end, explicitVR, bigEndian)
    {
        private DicomTag? last;

        public DicomDataset Dataset { get; } = dataset;

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

        public void Add(DicomItem item) => Dataset.AddInOrder(item);
    }

    private sealed class SequenceFrame(DicomSequence sequence, DicomDataset owner, long end, bool explicitVR, bool bigEndian, DatasetFrame parent)
        : Frame(end, explicitVR, bigEndian)
    {
        public DicomSequence Sequence { get; } = sequence;

        /// <summary>The dataset holding the sequence: parent of each item, for character set inheritance.</summary>
        public DicomDataset Owner { get; } = owner;

        public DatasetFrame Parent { get; } = parent;
    }
}
