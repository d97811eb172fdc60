using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class DicomReaderTests
{
    private const string ExplicitLE = "1.2.840.10008.1.2.1";

    [Fact]
    public void Read_UndefinedLengthSequences_ReturnsNestedItems()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        b.SequenceStart(0x0008, 0x1115).ItemStart();
        b.SequenceStart(0x0008, 0x1199);
        for (var i = 0; i < 3; i++)
        {
            b.ItemStart().ExplicitText(0x0008, 0x1150, "UI", "1.2.3").ExplicitText(0x0008, 0x1155, "UI", $"1.2.3.{i}").ItemEnd();
        }

        b.SequenceEnd().ItemEnd().SequenceEnd();
        b.ExplicitText(0x0010, 0x0010, "PN", "After^Sequence");

        var file = DicomFile.Open(b.ToArray(), DicomReadOptions.Strict);

        var series = file.Dataset.GetSequence(DicomTags.ReferencedSeriesSequence);
        var instances = series.Items[0].GetSequence(DicomTags.ReferencedSOPSequence);
        Assert.Equal(3, instances.Items.Count);
        Assert.Equal("1.2.3.2", instances.Items[2].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal("After^Sequence", file.Dataset.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Read_DefinedLengthItemsMixedWithUndefined_ReturnsItems()
    {
        var inner = new ByteBuilder().ExplicitText(0x0008, 0x1155, "UI", "1.2.3.4").ToArray();
        var b = ByteBuilder.Part10(ExplicitLE);
        b.SequenceStart(0x0008, 0x1199).ItemStart((uint)inner.Length).Raw(inner).ItemStart().Raw(inner).ItemEnd().SequenceEnd();

        var file = DicomFile.Open(b.ToArray(), DicomReadOptions.Strict);

        Assert.Equal(2, file.Dataset.GetSequence(DicomTags.ReferencedSOPSequence).Items.Count);
    }

    [Fact]
    public void Read_UndefinedLengthUN_ParsesContentAsImplicitLittleEndianSequence()
    {
        // PS3.5 §6.2.2: UN with undefined length holds an Implicit VR Little Endian sequence.
        var b = ByteBuilder.Part10(ExplicitLE);
        b.Tag(0x0008, 0x1115).Raw((byte)'U', (byte)'N', 0, 0).UInt32(0xFFFFFFFF).ItemStart();
        b.Tag(0x0020, 0x000E).UInt32(6).Raw("1.2.3\0"u8.ToArray());
        b.ItemEnd().SequenceEnd();

        var file = DicomFile.Open(b.ToArray(), DicomReadOptions.Strict);

        Assert.Equal("1.2.3", file.Dataset.GetSequence(DicomTags.ReferencedSeriesSequence).Items[0].GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public void Read_EncapsulatedPixelData_ReturnsOffsetTableAndFragments()
    {
        var b = ByteBuilder.Part10("1.2.840.10008.1.2.5");
        b.Explicit(0x0028, 0x0008, "IS", "2 "u8.ToArray());
        b.Tag(0x7FE0, 0x0010).Raw((byte)'O', (byte)'B', 0, 0).UInt32(0xFFFFFFFF);
        b.ItemStart(8).UInt32(0).UInt32(12).ItemStart(4).Raw(1, 2, 3, 4).ItemStart(2).Raw(5, 6).SequenceEnd();

        var file = DicomFile.Open(b.ToArray(), DicomReadOptions.Strict);

        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(new uint[] { 0, 12 }, pixels.BasicOffsetTable);
        Assert.Equal(new byte[] { 5, 6 }, pixels.Fragments[1].ToArray());
    }

    [Fact]
    public void Open_HeaderOnly_StopsBeforePixelDataWithoutReadingIt()
    {
        var dataset = SyntheticDicom.CtImage(256, 256);
        var bytes = new DicomFile(dataset).ToArray();
        using var stream = new CountingStream(bytes);

        var file = DicomFile.Open(stream, DicomReadOptions.Default with { StopBeforePixelData = true });

        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal("PH-0001", file.Dataset.GetString(DicomTags.PatientID));
        Assert.NotNull(file.PixelDataOffset);
        Assert.True(stream.BytesRead < bytes.Length - (256 * 256 * 2), $"read {stream.BytesRead} of {bytes.Length} bytes");
    }

    [Fact]
    public void Open_NonSeekableStream_ReadsWholeFile()
    {
        var bytes = new DicomFile(SyntheticDicom.CtImage(), DicomTransferSyntax.DeflatedExplicitVRLittleEndian).ToArray();
        using var stream = new CountingStream(bytes, seekable: false);

        var file = DicomFile.Open(stream);

        Assert.Equal(SyntheticDicom.CtImage().GetValues<short>(DicomTags.PixelData), file.Dataset.GetValues<short>(DicomTags.PixelData));
    }

    [Fact]
    public void Open_NoPreambleLenient_ReadsDatasetWithWarning()
    {
        var dataset = DicomDatasetWriter.ToArray(SyntheticDicom.CtImage(), DicomTransferSyntax.ImplicitVRLittleEndian);

        var file = DicomFile.Open(dataset);

        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        Assert.Contains(file.Warnings, w => w.Contains("no file meta information", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_NoPreambleStrict_ThrowsAtOffset128()
    {
        var dataset = DicomDatasetWriter.ToArray(SyntheticDicom.CtImage(), DicomTransferSyntax.ExplicitVRLittleEndian);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(dataset, DicomReadOptions.Strict));

        Assert.Equal(128, ex.Offset);
    }

    [Fact]
    public void Open_OutOfOrderLenient_SortsAndWarns()
    {
        var b = ByteBuilder.Part10(ExplicitLE).ExplicitText(0x0010, 0x0020, "LO", "ID").ExplicitText(0x0008, 0x0060, "CS", "CT");

        var file = DicomFile.Open(b.ToArray());

        Assert.Equal(new[] { DicomTags.Modality, DicomTags.PatientID }, file.Dataset.Select(i => i.Tag));
        Assert.Contains(file.Warnings, w => w.Contains("out of order", StringComparison.Ordinal));
        Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));
    }

    [Fact]
    public void Open_UnknownCharacterSet_WarnsAndStillDecodes()
    {
        var b = ByteBuilder.Part10(ExplicitLE).ExplicitText(0x0008, 0x0005, "CS", "ISO_IR 999").ExplicitText(0x0010, 0x0010, "PN", "Doe^J");

        var file = DicomFile.Open(b.ToArray());

        Assert.Equal("Doe^J", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Contains(file.Warnings, w => w.Contains("ISO_IR 999", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_CommandSetImplicitLittleEndian_ParsesWithDictionaryVRs()
    {
        var command = new DicomDataset()
            .AddOrUpdate(DicomTags.CommandGroupLength, 0u)
            .AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomUids.Verification)
            .AddOrUpdate(DicomTags.CommandField, (ushort)0x0030)
            .AddOrUpdate(DicomTags.MessageID, (ushort)1)
            .AddOrUpdate(DicomTags.CommandDataSetType, (ushort)0x0101);

        var bytes = DicomDatasetWriter.ToArray(command, DicomTransferSyntax.ImplicitVRLittleEndian);
        var read = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian, DicomReadOptions.Strict);

        Assert.Equal((uint)(bytes.Length - 12), read.GetValue<uint>(DicomTags.CommandGroupLength));
        Assert.Equal((ushort)0x0030, read.GetValue<ushort>(DicomTags.CommandField));
        Assert.Equal(DicomUids.Verification, read.GetString(DicomTags.AffectedSOPClassUID));
    }

    /// <summary>A read-only stream that counts what the reader takes from it.</summary>
    private sealed class CountingStream(byte[] data, bool seekable = true) : MemoryStream(data, writable: false)
    {
        public long BytesRead { get; private set; }

        public override bool CanSeek => seekable;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        // Read(Span) of a derived MemoryStream goes through Read(byte[], ...), so counting there counts everything once.
        public override bool TryGetBuffer(out ArraySegment<byte> buffer)
        {
            buffer = default;
            return false;
        }
    }
}
