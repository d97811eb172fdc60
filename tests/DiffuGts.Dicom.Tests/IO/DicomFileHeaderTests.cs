using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

public sealed class DicomFileHeaderTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.2")]
    public void WriteHeader_ThenRawDataset_ReadsAsTheSameFile(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Lookup(syntaxUid);
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4.5")
            .AddOrUpdate(DicomTags.Modality, "CT")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, "1.2.3.4");
        using var stream = new MemoryStream();
        DicomFile.WriteHeader(stream, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", syntax, sourceAeTitle: "SCANNER ");
        DicomDatasetWriter.Write(stream, dataset, syntax);

        var file = DicomFile.Open(stream.ToArray(), DicomReadOptions.Strict);
        Assert.Equal(syntax, file.TransferSyntax);
        Assert.Equal("1.2.3.4.5", file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal("SCANNER", file.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal("1.2.3.4", file.Dataset.GetString(DicomTags.SeriesInstanceUID));
        Assert.Empty(file.Warnings);
    }
}
