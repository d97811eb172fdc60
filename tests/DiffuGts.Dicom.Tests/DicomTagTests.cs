using Xunit;

namespace DiffuGts.Dicom.Tests;

public sealed class DicomTagTests
{
    [Theory]
    [InlineData("(0010,0010)", 0x0010, 0x0010)]
    [InlineData("7FE0,0010", 0x7FE0, 0x0010)]
    [InlineData("0029100a", 0x0029, 0x100A)]
    public void Parse_KnownForms_ReturnsGroupAndElement(string text, int group, int element)
    {
        var tag = DicomTag.Parse(text);

        Assert.Equal((ushort)group, tag.Group);
        Assert.Equal((ushort)element, tag.Element);
    }

    [Theory]
    [InlineData("")]
    [InlineData("(0010,001)")]
    [InlineData("(GGGG,0010)")]
    public void TryParse_Malformed_ReturnsFalse(string text) => Assert.False(DicomTag.TryParse(text, out _));

    [Fact]
    public void ToString_UsesUpperCaseHexInParentheses() => Assert.Equal("(7FE0,0010)", new DicomTag(0x7FE0, 0x0010).ToString());

    [Fact]
    public void CompareTo_OrdersByGroupThenElement()
    {
        var tags = new[] { new DicomTag(0x0010, 0x0010), new DicomTag(0x0008, 0x0018), new DicomTag(0x0008, 0x0005) };

        Array.Sort(tags);

        Assert.Equal(new[] { new DicomTag(0x0008, 0x0005), new DicomTag(0x0008, 0x0018), new DicomTag(0x0010, 0x0010) }, tags);
    }

    [Theory]
    [InlineData(0x0029, 0x0010, true, true)]
    [InlineData(0x0029, 0x1008, true, false)]
    [InlineData(0x0010, 0x0010, false, false)]
    [InlineData(0x0001, 0x0010, false, false)]
    [InlineData(0xFFFF, 0x0010, false, false)]
    public void IsPrivate_OddGroupsAboveSeven_AreNotStandard(int group, int element, bool isPrivate, bool isCreator)
    {
        var tag = new DicomTag((ushort)group, (ushort)element);

        Assert.Equal(isPrivate, tag.IsPrivate);
        Assert.Equal(isCreator, tag.IsPrivateCreator);
    }

    [Fact]
    public void PrivateCreatorTag_OfDataElement_IsBlockReservation() =>
        Assert.Equal(new DicomTag(0x0029, 0x0011), new DicomTag(0x0029, 0x1108).PrivateCreatorTag);
}
