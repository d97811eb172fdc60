using Xunit;

namespace DiffuGts.Dicom.Tests;

public sealed class DicomVRTests
{
    private static readonly string[] CurrentStandard =
    [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL",
        "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ];

    [Fact]
    public void All_CoversEveryVRofPS35Table621()
    {
        Assert.Equal(CurrentStandard.Order(), DicomVR.All.Select(vr => vr.Code).Order());
    }

    [Theory]
    [InlineData("OB", 12)]
    [InlineData("OD", 12)]
    [InlineData("OF", 12)]
    [InlineData("OL", 12)]
    [InlineData("OV", 12)]
    [InlineData("OW", 12)]
    [InlineData("SQ", 12)]
    [InlineData("SV", 12)]
    [InlineData("UC", 12)]
    [InlineData("UN", 12)]
    [InlineData("UR", 12)]
    [InlineData("UT", 12)]
    [InlineData("UV", 12)]
    [InlineData("AE", 8)]
    [InlineData("DS", 8)]
    [InlineData("US", 8)]
    [InlineData("PN", 8)]
    [InlineData("LT", 8)]
    public void ExplicitHeaderLength_FollowsPS35Section712(string code, int length) =>
        Assert.Equal(length, DicomVR.Parse(code).ExplicitHeaderLength);

    [Theory]
    [InlineData("UI", 0x00)]
    [InlineData("OB", 0x00)]
    [InlineData("UN", 0x00)]
    [InlineData("LO", 0x20)]
    [InlineData("CS", 0x20)]
    [InlineData("UT", 0x20)]
    public void PaddingByte_IsNulForUidAndBinarySpaceForText(string code, int padding) =>
        Assert.Equal((byte)padding, DicomVR.Parse(code).PaddingByte);

    [Theory]
    [InlineData("SH", true)]
    [InlineData("LO", true)]
    [InlineData("ST", true)]
    [InlineData("LT", true)]
    [InlineData("PN", true)]
    [InlineData("UC", true)]
    [InlineData("UT", true)]
    [InlineData("CS", false)]
    [InlineData("UI", false)]
    [InlineData("AE", false)]
    [InlineData("UR", false)]
    public void IsCharacterSetAffected_OnlyForPS35Section6123Vrs(string code, bool affected) =>
        Assert.Equal(affected, DicomVR.Parse(code).IsCharacterSetAffected);

    [Theory]
    [InlineData("AE", 16u)]
    [InlineData("CS", 16u)]
    [InlineData("DS", 16u)]
    [InlineData("IS", 12u)]
    [InlineData("LO", 64u)]
    [InlineData("UI", 64u)]
    [InlineData("ST", 1024u)]
    [InlineData("LT", 10240u)]
    [InlineData("UT", 0xFFFFFFFEu)]
    public void MaxLength_MatchesTable621(string code, uint max) => Assert.Equal(max, DicomVR.Parse(code).MaxLength);

    [Fact]
    public void TryParse_UnknownCode_ReturnsFalse() => Assert.False(DicomVR.TryParse("XX", out _));
}
