using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class ReaderObserverTests
{
    [Fact]
    public void Read_WithObserver_ReportsEventsInFileOrder()
    {
        var b = new ByteBuilder();
        b.ExplicitText(0x0008, 0x0060, "CS", "CT");
        b.SequenceStart(0x0008, 0x1115).ItemStart().SequenceStart(0x0008, 0x1199);
        b.ItemStart().ExplicitText(0x0008, 0x1155, "UI", "1.2").ItemEnd();
        b.ItemStart(0).SequenceEnd().ItemEnd().SequenceEnd();
        b.ExplicitText(0x0010, 0x0020, "LO", "ID");
        var observer = new Recorder();

        var warnings = DicomDatasetReader.Read(b.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian, observer, DicomReadOptions.Strict);

        Assert.Empty(warnings);
        Assert.Equal(
            [
                "element (0008,0060)", "begin (0008,1115)", "item 0", "begin (0008,1199)", "item 0", "element (0008,1155)", "end item", "item 1",
                "end item", "end sequence", "end item", "end sequence", "element (0010,0020)",
            ],
            observer.Events);
    }

    [Fact]
    public void Read_DeflatedBareDataset_Inflates()
    {
        var bytes = DicomDatasetWriter.ToArray(new DicomDataset().AddOrUpdate(DicomTags.Modality, "MR"), DicomTransferSyntax.DeflatedExplicitVRLittleEndian);

        var dataset = DicomDatasetReader.Read(bytes, DicomTransferSyntax.DeflatedExplicitVRLittleEndian, DicomReadOptions.Strict);

        Assert.Equal("MR", dataset.GetString(DicomTags.Modality));
    }

    private sealed class Recorder : IDicomReaderObserver
    {
        public List<string> Events { get; } = [];

        public void OnElement(DicomElement element) => Events.Add($"element {element.Tag}");

        public void OnBeginSequence(DicomTag tag) => Events.Add($"begin {tag}");

        public void OnBeginItem(int index) => Events.Add($"item {index}");

        public void OnEndItem() => Events.Add("end item");

        public void OnEndSequence() => Events.Add("end sequence");

        public void OnFragmentSequence(DicomFragmentSequence pixelData) => Events.Add($"fragments {pixelData.Fragments.Count}");
    }
}
