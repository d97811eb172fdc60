using System.Buffers.Binary;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class DicomWriterTests
{
    [Theory]
    [InlineData("UI", "1.2.3", 0x00)]
    [InlineData("LO", "abc", 0x20)]
    [InlineData("PN", "Doe", 0x20)]
    public void Write_OddLengthText_PadsWithVRPaddingByte(string vr, string value, int padding)
    {
        var tag = vr == "UI" ? DicomTags.SOPInstanceUID : vr == "LO" ? DicomTags.PatientID : DicomTags.PatientName;
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.Parse(vr), value);

        var bytes = DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(value.Length + 1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal((byte)padding, bytes[^1]);
    }

    [Fact]
    public void Write_OddLengthOB_PadsWithZero()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ICCProfile, DicomVR.OB, new byte[] { 9, 9, 9 });

        var bytes = DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(new byte[] { 0x28, 0x00, 0x00, 0x20, (byte)'O', (byte)'B', 0, 0, 4, 0, 0, 0, 9, 9, 9, 0 }, bytes);
    }

    [Fact]
    public void Write_ImplicitVR_HasNoVRBytes()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)512);

        Assert.Equal(new byte[] { 0x28, 0x00, 0x10, 0x00, 2, 0, 0, 0, 0x00, 0x02 }, DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ImplicitVRLittleEndian));
    }

    [Fact]
    public void Write_BigEndian_SwapsTagsLengthsAndNumbersByVR()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)0x0102).AddOrUpdate(DicomTags.SpiralPitchFactor, 1.0);

        var bytes = DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ExplicitVRBigEndian);

        Assert.Equal(new byte[] { 0x00, 0x18, 0x93, 0x11, (byte)'F', (byte)'D', 0x00, 0x08, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0 }, bytes[..16]);
        Assert.Equal(new byte[] { 0x00, 0x28, 0x00, 0x10, (byte)'U', (byte)'S', 0x00, 0x02, 0x01, 0x02 }, bytes[16..]);
    }

    [Fact]
    public void Save_FileMeta_HasPreambleGroupLengthAndVersion()
    {
        var bytes = new DicomFile(SyntheticDicom.CtImage()).ToArray();
        var file = DicomFile.Open(bytes, DicomReadOptions.Strict);

        Assert.All(bytes[..128], b => Assert.Equal(0, b));
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        var meta = file.FileMetaInformation;
        var metaLength = DicomDatasetWriter.GetEncodedLength(meta, DicomTransferSyntax.ExplicitVRLittleEndian) - 12;
        Assert.Equal((uint)metaLength, meta.GetValue<uint>(DicomTags.FileMetaInformationGroupLength));
        Assert.Equal(new byte[] { 0, 1 }, meta.GetBuffer(DicomTags.FileMetaInformationVersion).ToArray());
        Assert.Equal(DicomUids.CTImageStorage, meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal(SyntheticDicom.InstanceUid, meta.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(DicomUids.ImplementationClassUid, meta.GetString(DicomTags.ImplementationClassUID));
    }

    [Fact]
    public void Save_WithoutSopInstanceUid_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new DicomFile(new DicomDataset().AddOrUpdate(DicomTags.Modality, "CT")).ToArray());

    [Fact]
    public void Save_TranscodeExplicitToImplicitAndBigEndian_KeepsValues()
    {
        var original = DicomFile.Open(new DicomFile(SyntheticDicom.CtImage()).ToArray());

        foreach (var target in new[] { DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian })
        {
            var bytes = original.ToArray(new DicomWriteOptions { TransferSyntax = target });
            var read = DicomFile.Open(bytes, DicomReadOptions.Strict);
            Assert.Equal(target, read.TransferSyntax);
            Assert.Equal(original.Dataset.GetValues<short>(DicomTags.PixelData), read.Dataset.GetValues<short>(DicomTags.PixelData));
            Assert.Equal(original.Dataset.GetString(DicomTags.PatientName), read.Dataset.GetString(DicomTags.PatientName));
        }
    }

    [Fact]
    public void Save_EncapsulatedToNative_ThrowsUnsupportedTransferSyntax()
    {
        var ds = SyntheticDicom.CtImage();
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], [new byte[] { 1, 2 }]));
        var file = new DicomFile(ds, DicomTransferSyntax.RLELossless);

        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => file.ToArray(new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian }));

        Assert.Equal(DicomTransferSyntax.RLELossless.Uid, ex.TransferSyntaxUid);
    }

    [Fact]
    public void Save_Encapsulated_WritesUndefinedLengthAndRoundTrips()
    {
        var ds = SyntheticDicom.CtImage();
        ds.AddOrUpdate(DicomTags.NumberOfFrames, 2);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0, 12], [new byte[] { 1, 2, 3 }, new byte[] { 4, 5 }]));

        var read = DicomFile.Open(new DicomFile(ds, DicomTransferSyntax.RLELossless).ToArray(), DicomReadOptions.Strict);

        var pixels = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(new uint[] { 0, 12 }, pixels.BasicOffsetTable);
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, pixels.Fragments[0].ToArray());
        Assert.Equal(new byte[] { 4, 5 }, pixels.Fragments[1].ToArray());
    }

    [Fact]
    public void Write_LongStringBeyond16BitLength_WritesUNInExplicitVR()
    {
        var values = Enumerable.Range(0, 20000).Select(i => (double)i).ToArray();
        var ds = new DicomDataset().AddOrUpdate(DicomTags.FrameTimeVector, values);

        var read = DicomDatasetReader.Read(DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(DicomVR.UN, read.GetElement(DicomTags.FrameTimeVector).VR);
        Assert.Equal(ds.GetBuffer(DicomTags.FrameTimeVector).ToArray(), read.GetBuffer(DicomTags.FrameTimeVector).ToArray()[..ds.GetElement(DicomTags.FrameTimeVector).Length]);
    }

    [Fact]
    public void Write_GroupLengthPresent_IsRecomputed()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, 999u)
            .AddOrUpdate(DicomTags.Modality, "CT")
            .AddOrUpdate(DicomTags.PatientID, "X");

        var read = DicomDatasetReader.Read(DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(10u, read.GetValue<uint>(new DicomTag(0x0008, 0x0000)));
    }

    [Fact]
    public async Task SaveAsync_ThenOpenAsync_RoundTrips()
    {
        using var stream = new MemoryStream();
        await new DicomFile(SyntheticDicom.CtImage()).SaveAsync(stream, null, CancellationToken.None);
        stream.Position = 0;

        var file = await DicomFile.OpenAsync(stream, DicomReadOptions.Strict, CancellationToken.None);

        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }
}
