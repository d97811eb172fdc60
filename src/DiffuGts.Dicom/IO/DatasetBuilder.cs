namespace DiffuGts.Dicom.IO;

/// <summary>The observer that turns reader events into a <see cref="DicomDataset"/> tree.</summary>
internal sealed class DatasetBuilder(DicomDataset root) : IDicomReaderObserver
{
    private readonly Stack<DicomDataset> datasets = new([root]);
    private readonly Stack<DicomSequence> sequences = new();

    public void OnElement(DicomElement element) => datasets.Peek().AddInOrder(element);

    public void OnBeginSequence(DicomTag tag)
    {
        var sequence = new DicomSequence(tag);
        datasets.Peek().AddInOrder(sequence);
        sequences.Push(sequence);
    }

    public void OnBeginItem(int index)
    {
        var item = new DicomDataset { Parent = datasets.Peek() };
        sequences.Peek().Items.Add(item);
        datasets.Push(item);
    }

    public void OnEndItem() => datasets.Pop();

    public void OnEndSequence() => sequences.Pop();

    public void OnFragmentSequence(DicomFragmentSequence pixelData) => datasets.Peek().AddInOrder(pixelData);
}
