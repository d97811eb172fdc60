using Xunit;

namespace DiffuGts.Dicom.Tests;

public sealed class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("0.1", true)]
    [InlineData("1.02.3", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.2.a", false)]
    [InlineData("", false)]
    public void IsValid_FollowsPS35Section91(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void IsValid_65Characters_IsFalse() => Assert.False(DicomUid.IsValid("1." + new string('1', 63)));

    [Fact]
    public void Generate_Default_Is225UuidFormAndValid()
    {
        var uid = DicomUid.Generate();

        Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
        Assert.True(DicomUid.IsValid(uid), uid);
        Assert.True(uid.Length <= 44, uid);
        Assert.NotEqual(uid, DicomUid.Generate());
    }

    [Fact]
    public void Generate_UnderRoot_StaysWithin64Characters()
    {
        var generator = new DicomUidGenerator("1.2.826.0.1.3680043.10.999");

        var uid = generator.Generate();

        Assert.StartsWith("1.2.826.0.1.3680043.10.999.", uid, StringComparison.Ordinal);
        Assert.True(DicomUid.IsValid(uid), uid);
    }

    [Fact]
    public void Derive_SameInputsAndVersion_GivesSameUid()
    {
        var a = DicomUid.Derive(1, "1.2.3.4", "seg", "liver");
        var b = DicomUid.Derive(1, "1.2.3.4", "seg", "liver");

        Assert.Equal(a, b);
        Assert.True(DicomUid.IsValid(a), a);
    }

    [Theory]
    [InlineData(2, "1.2.3.4", "seg", "liver")]
    [InlineData(1, "1.2.3.4", "seg", "kidney")]
    [InlineData(1, "1.2.3.4seg", "", "liver")]
    public void Derive_DifferentVersionOrInputs_GivesDifferentUid(int version, string a, string b, string c) =>
        Assert.NotEqual(DicomUid.Derive(1, "1.2.3.4", "seg", "liver"), DicomUid.Derive(version, a, b, c));

    [Fact]
    public void Derive_Uuid_IsRfc9562Version8()
    {
        var uid = DicomUid.Derive(1, "x");
        var value = System.Numerics.BigInteger.Parse(uid["2.25.".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var uuid = new byte[16];
        bytes.CopyTo(uuid, 16 - bytes.Length);

        Assert.Equal(0x80, uuid[6] & 0xF0);
        Assert.Equal(0x80, uuid[8] & 0xC0);
    }

    [Fact]
    public void Constructor_InvalidRoot_Throws() => Assert.Throws<ArgumentException>(() => new DicomUidGenerator("1.02"));
}
