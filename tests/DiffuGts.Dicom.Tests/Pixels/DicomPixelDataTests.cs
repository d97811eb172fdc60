using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Pixels;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.Pixels;

public sealed class DicomPixelDataTests
{
    [Fact]
    public void GetModalityValues_SignedCt_AppliesRescale()
    {
        var ds = SyntheticDicom.CtImage();
        var stored = ds.GetValues<short>(DicomTags.PixelData);

        var values = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetModalityValues(0);

        Assert.Equal(stored.Select(v => v - 1024f), values);
    }

    [Fact]
    public void Create_PixelDataParsedAsSequence_ThrowsFormatError()
    {
        var ds = SyntheticDicom.CtImage();
        ds.AddOrUpdate(new DicomSequence(DicomTags.PixelData, [new DicomDataset()]));

        var e = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian));

        Assert.Contains("neither native nor encapsulated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetFrame_Native_IsSliceWithoutCopy()
    {
        var ds = MultiFrame(frames: 3, rows: 2, columns: 3, bitsAllocated: 16);
        var pixels = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);

        var frame = pixels.GetFrame(2);

        Assert.Equal(12, frame.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame, out var segment));
        Assert.Equal(24, segment.Offset);
        Assert.Equal(new ushort[] { 12, 13, 14, 15, 16, 17 }, frame.ToArray().Chunk(2).Select(b => BitConverter.ToUInt16(b)));
    }

    [Fact]
    public void GetFrame_IndexOutOfRange_Throws()
    {
        var pixels = DicomPixelData.Create(MultiFrame(2, 2, 2, 8), DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Throws<ArgumentOutOfRangeException>(() => pixels.GetFrame(2));
    }

    [Fact]
    public void GetFrame_PixelDataTooShort_ThrowsFormatException()
    {
        var ds = MultiFrame(2, 2, 2, 8);
        ds.AddOrUpdate(DicomTags.NumberOfFrames, 5);

        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetFrame(4));
    }

    [Fact]
    public void GetModalityValues_TwelveBitsStoredSigned_SignExtends()
    {
        var ds = MultiFrame(1, 1, 3, 16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12).AddOrUpdate(DicomTags.HighBit, (ushort)11).AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, (ushort)0x0FFF, (ushort)0xF800, (ushort)0x07FF);

        var values = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetModalityValues(0);

        Assert.Equal(new float[] { -1, -2048, 2047 }, values);
    }

    [Fact]
    public void GetModalityValues_EnhancedPerFrameTransform_UsesFunctionalGroups()
    {
        var ds = MultiFrame(2, 1, 2, 16);
        static DicomDataset Transform(double slope, double intercept) => new DicomDataset().AddOrUpdate(DicomTags.PixelValueTransformationSequence,
            new DicomDataset().AddOrUpdate(DicomTags.RescaleSlope, slope).AddOrUpdate(DicomTags.RescaleIntercept, intercept));
        ds.AddOrUpdate(DicomTags.SharedFunctionalGroupsSequence, Transform(2, 0));
        ds.AddOrUpdate(DicomTags.PerFrameFunctionalGroupsSequence, new DicomDataset(), Transform(10, -5));

        var pixels = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(new float[] { 0, 2 }, pixels.GetModalityValues(0));
        Assert.Equal(new float[] { 15, 25 }, pixels.GetModalityValues(1));
    }

    [Fact]
    public void GetFrame_OneBitFramesNotByteAligned_Unpacks()
    {
        // 3×3 frames: frame 1 starts at bit 9 (PS3.5 §8.1.1, frames are not byte aligned).
        var ds = MultiFrame(2, 3, 3, 1);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)1).AddOrUpdate(DicomTags.HighBit, (ushort)0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, new byte[] { 0b0000_0001, 0b0000_0110, 0b0000_0000, 0 });

        var pixels = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0 }, pixels.GetFrame(0).ToArray());
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0 }, pixels.GetFrame(1).ToArray());
    }

    [Fact]
    public void GetFrame_RleEncapsulatedMultiFrame_DecodesThroughRegistry()
    {
        var ds = MultiFrame(3, 4, 5, 16);
        var native = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var fragments = Enumerable.Range(0, 3).Select(i => (ReadOnlyMemory<byte>)RleLosslessCodec.EncodeFrame(native.GetFrame(i).Span, native.FrameInfo)).ToList();
        var encapsulated = ds.Clone();
        encapsulated.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], fragments));
        encapsulated.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.MultiFrameGrayscaleWordSecondaryCaptureImageStorage).AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3");
        var read = DicomFile.Open(new DicomFile(encapsulated, DicomTransferSyntax.RLELossless).ToArray(), DicomReadOptions.Strict);

        var pixels = DicomPixelData.Create(read);

        Assert.True(pixels.IsEncapsulated);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(native.GetFrame(i).ToArray(), pixels.GetFrame(i).ToArray());
        }
    }

    [Fact]
    public void GetFrame_BasicOffsetTableWithSplitFragments_JoinsFragments()
    {
        var ds = MultiFrame(2, 2, 2, 8);
        var native = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var f0 = RleLosslessCodec.EncodeFrame(native.GetFrame(0).Span, native.FrameInfo);
        var f1 = RleLosslessCodec.EncodeFrame(native.GetFrame(1).Span, native.FrameInfo);
        var a = f0[..32];
        var b = f0[32..];
        var offset1 = (uint)(8 + a.Length + 8 + b.Length);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0, offset1], [a, b, f1]));

        var pixels = DicomPixelData.Create(ds, DicomTransferSyntax.RLELossless);

        Assert.Equal(native.GetFrame(0).ToArray(), pixels.GetFrame(0).ToArray());
        Assert.Equal(native.GetFrame(1).ToArray(), pixels.GetFrame(1).ToArray());
    }

    [Fact]
    public void GetFrame_ExtendedOffsetTable_FindsFrames()
    {
        var ds = MultiFrame(2, 2, 2, 8);
        var native = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var f0 = RleLosslessCodec.EncodeFrame(native.GetFrame(0).Span, native.FrameInfo);
        var f1 = RleLosslessCodec.EncodeFrame(native.GetFrame(1).Span, native.FrameInfo);
        ds.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, 0UL, (ulong)(8 + f0.Length));
        ds.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, (ulong)f0.Length, (ulong)f1.Length);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], [f0, f1]));

        var pixels = DicomPixelData.Create(ds, DicomTransferSyntax.RLELossless);

        Assert.Equal(native.GetFrame(1).ToArray(), pixels.GetFrame(1).ToArray());
    }

    [Fact]
    public void GetFrame_NoCodec_ThrowsNamingTransferSyntax()
    {
        var ds = MultiFrame(1, 2, 2, 8);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [], [new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }]));

        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.JPEG2000).GetFrame(0));

        Assert.Equal(DicomTransferSyntax.JPEG2000.Uid, ex.TransferSyntaxUid);
        Assert.Contains("1.2.840.10008.1.2.4.91", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InconsistentImagePixelModule_ThrowsFormatException()
    {
        var ds = MultiFrame(1, 2, 2, 8);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);

        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    /// <summary>Unsigned monochrome frames whose sample i of frame f holds f·rows·columns + i.</summary>
    private static DicomDataset MultiFrame(int frames, int rows, int columns, int bitsAllocated)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2")
            .AddOrUpdate(DicomTags.NumberOfFrames, frames)
            .AddOrUpdate(DicomTags.Rows, (ushort)rows)
            .AddOrUpdate(DicomTags.Columns, (ushort)columns)
            .AddOrUpdate(DicomTags.BitsAllocated, (ushort)bitsAllocated)
            .AddOrUpdate(DicomTags.BitsStored, (ushort)bitsAllocated)
            .AddOrUpdate(DicomTags.HighBit, (ushort)(bitsAllocated - 1))
            .AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        var count = frames * rows * columns;
        if (bitsAllocated == 16)
        {
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, Enumerable.Range(0, count).Select(i => (ushort)i).ToArray());
        }
        else if (bitsAllocated == 8)
        {
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, Enumerable.Range(0, count).Select(i => (byte)i).ToArray());
        }

        return ds;
    }
}
