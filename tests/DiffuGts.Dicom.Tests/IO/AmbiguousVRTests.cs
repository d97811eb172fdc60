using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class AmbiguousVRTests
{
    [Fact]
    public void Read_ImplicitSignedImage_PixelPaddingValueIsSS()
    {
        var ds = SyntheticDicom.CtImage();
        ds.AddOrUpdate(DicomTags.PixelPaddingValue, DicomVR.SS, (short)-2000);

        var read = DicomFile.Open(new DicomFile(ds, DicomTransferSyntax.ImplicitVRLittleEndian).ToArray(), DicomReadOptions.Strict).Dataset;

        Assert.Equal(DicomVR.SS, read.GetElement(DicomTags.PixelPaddingValue).VR);
        Assert.Equal(-2000, read.GetValue<int>(DicomTags.PixelPaddingValue));
    }

    [Fact]
    public void Read_ImplicitUnsignedImage_PixelPaddingValueIsUS()
    {
        var ds = SyntheticDicom.CtImage();
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0).AddOrUpdate(DicomTags.PixelPaddingValue, DicomVR.US, (ushort)63536);

        var read = DicomFile.Open(new DicomFile(ds, DicomTransferSyntax.ImplicitVRLittleEndian).ToArray(), DicomReadOptions.Strict).Dataset;

        Assert.Equal(63536, read.GetValue<int>(DicomTags.PixelPaddingValue));
    }

    [Fact]
    public void Read_ImplicitOverlayData_IsOW()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x6000, 0x3000), DicomVR.OB, new byte[] { 1, 2 });

        var read = DicomDatasetReader.Read(DicomDatasetWriter.ToArray(ds, DicomTransferSyntax.ImplicitVRLittleEndian), DicomTransferSyntax.ImplicitVRLittleEndian);

        Assert.Equal(DicomVR.OW, read.GetElement(new DicomTag(0x6000, 0x3000)).VR);
    }
}
