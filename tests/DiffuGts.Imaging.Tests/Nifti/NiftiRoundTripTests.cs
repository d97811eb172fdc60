using System.Buffers.Binary;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Nifti;

public sealed class NiftiRoundTripTests
{
    [Theory]
    [MemberData(nameof(GeometryNames))]
    public void WriteRead_EachAcquisitionPlane_ReturnsSameGeometryAndVoxels(string name)
    {
        var volume = Ramp(TestGeometries.Get(name));
        using var dir = new TempDirectory();
        var path = dir.Combine("v.nii");
        NiftiWriter.Write(path, volume);

        var image = NiftiReader.Read(path);

        AssertSameGrid(volume.Geometry, image.Geometry);
        Assert.Equal(NiftiDataType.Real32, image.DataType);
        Assert.Equal(volume.Data, image.GetStoredVolume<float>().Data);
    }

    [Theory]
    [MemberData(nameof(GeometryNames))]
    public void Read_SformCleared_QuaternionGivesSameGeometry(string name)
    {
        var volume = Ramp(TestGeometries.Get(name));
        using var stream = new MemoryStream();
        NiftiWriter.Write(stream, volume);
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(254), 0);

        var image = NiftiReader.Read(new MemoryStream(bytes));

        AssertSameGrid(volume.Geometry, image.Geometry);
    }

    [Fact]
    public void WriteRead_Gzip_DetectsCompressionAndRoundTripsInt16()
    {
        var g = TestGeometries.Get("oblique", 33, 17, 9);
        var volume = new Volume<short>(g);
        for (var n = 0; n < volume.Data.Length; n++)
        {
            volume.Data[n] = (short)((n * 37 % 4001) - 2000);
        }

        using var dir = new TempDirectory();
        var path = dir.Combine("v.nii.gz");
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { ScaleSlope = 0.5, ScaleIntercept = -10 });
        var raw = File.ReadAllBytes(path);

        var image = NiftiReader.Read(path);

        Assert.Equal(0x1F, raw[0]);
        Assert.Equal(0x8B, raw[1]);
        Assert.Equal(volume.Data, image.GetStoredVolume<short>().Data);
        var real = image.ToFloatVolume();
        Assert.Equal(volume.Data[123] * 0.5f - 10f, real.Data[123]);
        Assert.Equal(volume.Data[^1] * 0.5f - 10f, real.Data[^1]);
    }

    [Fact]
    public void WriteRead_ByteAndUInt16_KeepStoredType()
    {
        var g = TestGeometries.Get("axial");
        var labels = new Volume<byte>(g);
        labels[3, 2, 1] = 7;
        var counts = new Volume<ushort>(g);
        counts[6, 5, 4] = 65535;
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        NiftiWriter.Write(a, labels);
        NiftiWriter.Write(b, counts);

        var readLabels = NiftiReader.Read(new MemoryStream(a.ToArray()));
        var readCounts = NiftiReader.Read(new MemoryStream(b.ToArray()));

        Assert.Equal(NiftiDataType.Unsigned8, readLabels.DataType);
        Assert.Equal(7, readLabels.GetStoredVolume<byte>()[3, 2, 1]);
        Assert.Equal(NiftiDataType.Unsigned16, readCounts.DataType);
        Assert.Equal(65535f, readCounts.ToFloatVolume()[6, 5, 4]);
        Assert.Throws<InvalidOperationException>(() => readLabels.GetStoredVolume<float>());
    }

    [Fact]
    public void Read_TruncatedVoxels_ThrowsInvalidData()
    {
        using var stream = new MemoryStream();
        NiftiWriter.Write(stream, Ramp(TestGeometries.Get("axial")));
        var bytes = stream.ToArray()[..^10];

        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(new MemoryStream(bytes)));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 100, "sizeof_hdr")]
    [InlineData(344, 0x78, "magic")]
    public void Read_CorruptHeader_ThrowsInvalidData(int offset, byte value, string expected)
    {
        using var stream = new MemoryStream();
        NiftiWriter.Write(stream, Ramp(TestGeometries.Get("axial")));
        var bytes = stream.ToArray();
        bytes[offset] = value;

        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(new MemoryStream(bytes)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FourDimensionalWithSeveralTimePoints_ThrowsInvalidData()
    {
        using var stream = new MemoryStream();
        NiftiWriter.Write(stream, Ramp(TestGeometries.Get("axial")));
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), 2);

        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(new MemoryStream(bytes)));
        Assert.Contains("dim[4]", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> GeometryNames => TestGeometries.Names;

    internal static Volume<float> Ramp(VolumeGeometry g)
    {
        var v = new Volume<float>(g);
        for (var n = 0; n < v.Data.Length; n++)
        {
            v.Data[n] = n * 0.25f - 3;
        }

        return v;
    }

    internal static void AssertSameGrid(VolumeGeometry expected, VolumeGeometry actual)
    {
        Assert.Equal((expected.SizeX, expected.SizeY, expected.SizeZ), (actual.SizeX, actual.SizeY, actual.SizeZ));
        Assert.True((expected.Origin - actual.Origin).Length < 1e-4, $"origin {actual.Origin} != {expected.Origin}");
        Assert.True((expected.Spacing - actual.Spacing).Length < 1e-5, $"spacing {actual.Spacing} != {expected.Spacing}");
        Assert.True(expected.Direction.MaxAbsDifference(actual.Direction) < 1e-5, $"direction {actual.Direction} != {expected.Direction}");
    }
}
