using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class DicomFileTests
{
    public static TheoryData<string> NativeSyntaxes => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    };

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void Save_ThenOpen_ReturnsSameValues(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Lookup(syntaxUid);
        var bytes = new DicomFile(SyntheticDicom.CtImage(), syntax).ToArray();

        var read = DicomFile.Open(bytes, DicomReadOptions.Strict);

        Assert.Equal(syntax, read.TransferSyntax);
        Assert.Empty(read.Warnings);
        Assert.Equal("Phantom^Jürgen", read.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal(new[] { -120.0, -120.0, 37.5 }, read.Dataset.GetValues<double>(DicomTags.ImagePositionPatient));
        Assert.Equal((ushort)16, read.Dataset.GetValue<ushort>(DicomTags.BitsAllocated));
        Assert.Equal(SyntheticDicom.CtImage().GetValues<short>(DicomTags.PixelData), read.Dataset.GetValues<short>(DicomTags.PixelData));
        Assert.Equal(new DateOnly(2026, 11, 28), read.Dataset.GetDate(DicomTags.StudyDate));
    }
}
