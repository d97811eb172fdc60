using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Pdus;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Node.Assembly;
using DiffuGts.Node.Options;
using DiffuGts.Node.Reception;
using DiffuGts.Node.Storage;
using DiffuGts.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace DiffuGts.Node.Tests.Reception;

/// <summary>The node's C-STORE path on loopback: what is acknowledged is in the spool, what is refused is not.</summary>
public sealed class SpoolStoreHandlerTests : IAsyncLifetime
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    private readonly TempDirectory _dir = new();
    private readonly NodeSettings _settings = new() { Storage = { FlushToDisk = true } };
    private SpoolPaths _paths = null!;
    private SeriesAssembler _assembler = null!;
    private DicomServer _server = null!;

    public async Task InitializeAsync()
    {
        _paths = new SpoolPaths(_dir.Combine("spool"));
        var spool = new InstanceSpool(_paths, flushToDisk: true);
        _assembler = new SeriesAssembler(_paths, _settings.Storage, TimeProvider.System);
        var disk = new DiskSpaceGuard(_paths.Root, _ => (100L << 30, 200L << 30));
        var handler = new SpoolStoreHandler(spool, _assembler, disk, () => _settings, NullLogger<SpoolStoreHandler>.Instance);
        var node = new NodeOptions { AeTitle = "DIFFUGTS", Port = 0, BindAddress = "127.0.0.1" };
        _server = new DicomServer(ReceptionService.ServerOptions(node, () => false), handler);
        await _server.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _assembler.Dispose();
        _dir.Dispose();
    }

    internal static DicomDataset Instance(string sopClass, string sopInstance, string series = "1.2.826.0.1.3680043.2.1125.9.2")
    {
        var pixels = new byte[8 * 8 * 2];
        return new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, sopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, sopInstance)
            .AddOrUpdate(DicomTags.StudyInstanceUID, "1.2.826.0.1.3680043.2.1125.9.1")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, series)
            .AddOrUpdate(DicomTags.Modality, "CT")
            .AddOrUpdate(DicomTags.BodyPartExamined, "ABDOMEN")
            .AddOrUpdate(DicomTags.PatientName, "PHANTOM^TEST")
            .AddOrUpdate(DicomTags.Rows, (ushort)8)
            .AddOrUpdate(DicomTags.Columns, (ushort)8)
            .AddOrUpdate(DicomTags.BitsAllocated, (ushort)16)
            .AddOrUpdate(DicomTags.BitsStored, (ushort)16)
            .AddOrUpdate(DicomTags.HighBit, (ushort)15)
            .AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1)
            .AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2")
            .AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
    }

    private async Task<DimseCommand> SendAsync(string commandClass, string commandInstance, byte[] dataSet)
    {
        var contexts = new[] { new PresentationContextRequest(1, commandClass, ["1.2.840.10008.1.2.1"]) };
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = _server.LocalEndPoint.Port, CalledAeTitle = "DIFFUGTS", CallingAeTitle = "TESTSCU" };
        await using var association = await DicomClientAssociation.OpenAsync(options, contexts, null, default);
        using var stream = new MemoryStream(dataSet);
        var response = await association.SendAsync(1, DimseCommand.StoreRequest(association.NextMessageId(), commandClass, commandInstance), stream, default);
        await association.ReleaseAsync(default);
        return response;
    }

    [Fact]
    public async Task Store_ValidInstance_IsOnDiskAsPart10BeforeSuccess()
    {
        var bytes = DicomDatasetWriter.ToArray(Instance(CtImageStorage, "1.2.3.100"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var response = await SendAsync(CtImageStorage, "1.2.3.100", bytes);

        Assert.Equal(DimseStatus.Success, response.Status);
        var file = Path.Combine(_paths.Instances, "1.2.826.0.1.3680043.2.1125.9.1", "1.2.826.0.1.3680043.2.1125.9.2", "1.2.3.100.dcm");
        var stored = DicomFile.Open(await File.ReadAllBytesAsync(file), DicomReadOptions.Strict);
        Assert.Equal("1.2.3.100", stored.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal("TESTSCU", stored.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle));
        var onDisk = await File.ReadAllBytesAsync(file);
        Assert.Equal(bytes, onDisk[^bytes.Length..]); // the data set is kept byte for byte as it arrived
        var series = Assert.Single(_assembler.Snapshot());
        Assert.Equal(("CT", "ABDOMEN", "TESTSCU", "DIFFUGTS"), (series.Attributes.Modality, series.Attributes.BodyPartExamined,
            series.Attributes.CallingAeTitle, series.Attributes.CalledAeTitle));
        Assert.Empty(Directory.EnumerateFiles(_paths.Temporary));
    }

    [Fact]
    public async Task Store_DataSetOfAnotherSopClass_IsRefusedA900AndNotStored()
    {
        var bytes = DicomDatasetWriter.ToArray(Instance(MrImageStorage, "1.2.3.101"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var response = await SendAsync(CtImageStorage, "1.2.3.101", bytes);
        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, response.Status);
        AssertNothingStored();
    }

    [Fact]
    public async Task Store_UnparseableDataSet_IsRefusedC000AndNotStored()
    {
        var garbage = new byte[] { 0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0xF0, 0xFF, 0x31, 0x2E };
        var response = await SendAsync(CtImageStorage, "1.2.3.102", garbage);
        Assert.Equal(StatusCategory.Failure, response.Status!.Value.Category);
        Assert.Equal(0xC000, response.Status.Value.Code & 0xF000);
        AssertNothingStored();
    }

    [Fact]
    public async Task Store_HostileSopInstanceUid_IsRefusedAndNothingEscapesTheSpool()
    {
        var bytes = DicomDatasetWriter.ToArray(Instance(CtImageStorage, "../../x"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var response = await SendAsync(CtImageStorage, "../../x", bytes);
        Assert.False(response.Status!.Value.IsStored);
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*.dcm", SearchOption.AllDirectories));
    }

    private void AssertNothingStored()
    {
        Assert.Empty(Directory.EnumerateFiles(_paths.Instances, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_paths.Temporary));
        Assert.Empty(_assembler.Snapshot());
    }
}
