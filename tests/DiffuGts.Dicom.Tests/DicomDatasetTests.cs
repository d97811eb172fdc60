using System.Globalization;
using System.Text;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests;

public sealed class DicomDatasetTests
{
    [Fact]
    public void Enumerate_AfterOutOfOrderAdds_IsSortedByTag()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PatientID, "2");
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");

        Assert.Equal(new[] { DicomTags.SpecificCharacterSet, DicomTags.Modality, DicomTags.PatientID }, ds.Select(i => i.Tag));
    }

    [Fact]
    public void Add_DuplicateTag_Throws()
    {
        var ds = new DicomDataset().Add(new DicomElement(DicomTags.Modality, DicomVR.CS, "CT"u8.ToArray()));

        Assert.Throws<ArgumentException>(() => ds.Add(new DicomElement(DicomTags.Modality, DicomVR.CS, "MR"u8.ToArray())));
    }

    [Fact]
    public void AddOrUpdate_WithoutVR_UsesDictionaryVR()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)512).AddOrUpdate(DicomTags.SliceThickness, 1.25);

        Assert.Equal(DicomVR.US, ds.GetElement(DicomTags.Rows).VR);
        Assert.Equal(DicomVR.DS, ds.GetElement(DicomTags.SliceThickness).VR);
        Assert.Equal("1.25", ds.GetString(DicomTags.SliceThickness));
    }

    [Fact]
    public void GetStrings_PaddedMultiValue_TrimsEachValue()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY \\AXIAL "u8.ToArray()));

        Assert.Equal(new[] { "ORIGINAL", "PRIMARY", "AXIAL" }, ds.GetStrings(DicomTags.ImageType));
        Assert.Equal(3, ds.GetValueCount(DicomTags.ImageType));
    }

    [Fact]
    public void GetString_UidWithNulPadding_StripsNul()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2\0"u8.ToArray()));

        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", ds.GetString(DicomTags.SOPClassUID));
    }

    [Fact]
    public void GetString_ShortText_KeepsLeadingSpacesAndBackslash()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.DerivationDescription, DicomVR.ST, "  a\\b  "u8.ToArray()));

        Assert.Equal(new[] { "  a\\b" }, ds.GetStrings(DicomTags.DerivationDescription));
    }

    [Theory]
    [InlineData("1.5\\-2E3\\ 7 ", new[] { 1.5, -2000.0, 7.0 })]
    [InlineData("0.000001", new[] { 0.000001 })]
    public void GetValues_DecimalString_ParsesInvariant(string text, double[] expected)
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.PixelSpacing, DicomVR.DS, Encoding.ASCII.GetBytes(text)));

        Assert.Equal(expected, ds.GetValues<double>(DicomTags.PixelSpacing));
    }

    [Fact]
    public void AddOrUpdate_DecimalStringUnderGermanCulture_WritesDot()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var ds = new DicomDataset().AddOrUpdate(DicomTags.SliceThickness, 0.5);
            Assert.Equal("0.5", ds.GetString(DicomTags.SliceThickness));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(1.0 / 3.0)]
    [InlineData(-123456.789012345)]
    [InlineData(1e-300)]
    [InlineData(6.02214076e23)]
    public void AddOrUpdate_DecimalString_FitsSixteenBytesAndKeepsValue(double value)
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SliceThickness, value);

        Assert.True(ds.GetElement(DicomTags.SliceThickness).Length <= 16);
        Assert.Equal(value, ds.GetValue<double>(DicomTags.SliceThickness), Math.Abs(value) * 1e-9);
    }

    [Fact]
    public void GetValue_IntegerString_ParsesWithSign() =>
        Assert.Equal(-42, new DicomDataset().AddOrUpdate(DicomTags.InstanceNumber, -42).GetValue<int>(DicomTags.InstanceNumber));

    [Fact]
    public void AddOrUpdate_IntegerStringOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDataset().AddOrUpdate(DicomTags.InstanceNumber, 3_000_000_000L));

    [Fact]
    public void GetValues_BinaryNumbers_ConvertToRequestedType()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.AcquisitionMatrix, (ushort)0, (ushort)256, (ushort)192, (ushort)0)
            .AddOrUpdate(DicomTags.SpiralPitchFactor, 0.984375)
            .AddOrUpdate(DicomTags.PixelIntensityRelationshipSign, (short)-1);

        Assert.Equal(new[] { 0, 256, 192, 0 }, ds.GetValues<int>(DicomTags.AcquisitionMatrix));
        Assert.Equal(0.984375, ds.GetValue<double>(DicomTags.SpiralPitchFactor));
        Assert.Equal(-1, ds.GetValue<int>(DicomTags.PixelIntensityRelationshipSign));
    }

    [Fact]
    public void TryGetValue_MissingOrIndexBeyondCount_ReturnsFalse()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)4);

        Assert.False(ds.TryGetValue<int>(DicomTags.Columns, out _));
        Assert.False(ds.TryGetValue<int>(DicomTags.Rows, out _, index: 1));
        Assert.Equal(7, ds.GetValueOrDefault(DicomTags.Columns, 7));
    }

    [Fact]
    public void GetString_Missing_ThrowsKeyNotFoundNamingKeyword()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => new DicomDataset().GetString(DicomTags.PatientName));

        Assert.Contains("PatientName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateTime_RoundTrip_DaTmDt()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.StudyDate, new DateOnly(2024, 2, 29))
            .AddOrUpdate(DicomTags.StudyTime, new TimeOnly(23, 59, 58, 123))
            .AddOrUpdate(DicomTags.AcquisitionDateTime, new DateTimeOffset(2024, 2, 29, 7, 8, 9, TimeSpan.FromHours(-5)));

        Assert.Equal("20240229", ds.GetString(DicomTags.StudyDate));
        Assert.Equal("235958.123000", ds.GetString(DicomTags.StudyTime));
        Assert.Equal("20240229070809-0500", ds.GetString(DicomTags.AcquisitionDateTime));
        Assert.Equal(new DateOnly(2024, 2, 29), ds.GetDate(DicomTags.StudyDate));
        Assert.Equal(new TimeOnly(23, 59, 58, 123), ds.GetTime(DicomTags.StudyTime));
        Assert.True(ds.TryGetDateTimeOffset(DicomTags.AcquisitionDateTime, out var dt));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 7, 8, 9, TimeSpan.FromHours(-5)), dt);
    }

    [Theory]
    [InlineData("10", 10, 0, 0)]
    [InlineData("1015", 10, 15, 0)]
    [InlineData("101530.5", 10, 15, 30)]
    [InlineData("10:15:30", 10, 15, 30)]
    public void GetTime_PartialAndAcrNemaForms_Parse(string text, int h, int m, int s)
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.StudyTime, DicomVR.TM, Encoding.ASCII.GetBytes(text)));

        var time = ds.GetTime(DicomTags.StudyTime);

        Assert.Equal((h, m, s), (time.Hour, time.Minute, time.Second));
    }

    [Fact]
    public void GetDateTime_YearOnly_IsFirstOfJanuary()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "2021");

        Assert.Equal(new DateTime(2021, 1, 1), ds.GetDateTime(DicomTags.AcquisitionDateTime));
        Assert.False(ds.TryGetDateTimeOffset(DicomTags.AcquisitionDateTime, out _));
    }

    [Fact]
    public void TryGetDateTimeOffset_NoOffsetInValue_UsesTimezoneOffsetFromUtc()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20210304050607")
            .AddOrUpdate(DicomTags.TimezoneOffsetFromUTC, "+0130");

        Assert.True(ds.TryGetDateTimeOffset(DicomTags.AcquisitionDateTime, out var value));
        Assert.Equal(TimeSpan.FromMinutes(90), value.Offset);
    }

    [Fact]
    public void GetPersonName_ThreeGroups_SplitsComponents()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientName, "Yamada^Tarou=山田^太郎=やまだ^たろう");

        var name = ds.GetPersonName(DicomTags.PatientName);

        Assert.Equal("Yamada", name.FamilyName);
        Assert.Equal("Tarou", name.GivenName);
        Assert.Equal("山田^太郎", name.Ideographic);
        Assert.Equal("やまだ^たろう", name.Phonetic);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", name.ToString());
    }

    [Fact]
    public void FromComponents_DropsTrailingEmptyComponents() =>
        Assert.Equal("Doe^John", DicomPersonName.FromComponents("Doe", "John").ToString());

    [Fact]
    public void GetTags_AttributeTag_ReturnsTags()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime, DicomTags.SliceLocation);

        Assert.Equal(new[] { DicomTags.FrameTime, DicomTags.SliceLocation }, ds.GetTags(DicomTags.FrameIncrementPointer));
        Assert.Equal(new byte[] { 0x18, 0x00, 0x63, 0x10, 0x20, 0x00, 0x41, 0x10 }, ds.GetBuffer(DicomTags.FrameIncrementPointer).ToArray());
    }

    [Fact]
    public void CharacterSet_ItemWithoutOwn_InheritsFromParent()
    {
        var item = new DicomDataset();
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.ReferencedSeriesSequence, item);
        item.AddOrUpdate(new DicomElement(DicomTags.SeriesDescription, DicomVR.LO, new byte[] { 0x4A, 0xFC, 0x72, 0x67 }));

        Assert.Equal("Jürg", item.GetString(DicomTags.SeriesDescription));
    }

    [Fact]
    public void AddOrUpdate_TextOutsideRepertoire_Throws()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");

        Assert.Throws<ArgumentException>(() => ds.AddOrUpdate(DicomTags.PatientName, "山田"));
    }

    [Fact]
    public void AddOrUpdate_NonAsciiInCodeString_Throws() =>
        Assert.Throws<ArgumentException>(() => new DicomDataset().AddOrUpdate(DicomTags.Modality, "ÇT"));

    [Fact]
    public void GetPrivateTag_Reserve_AddsCreatorInFirstFreeBlock()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x0029, 0x0010), DicomVR.LO, "OTHER VENDOR");

        Assert.True(ds.TryGetPrivateTag(0x0029, "DIFFUGTS", 0x08, reserve: true, out var tag));
        ds.AddOrUpdate(tag, DicomVR.LO, "value");

        Assert.Equal(new DicomTag(0x0029, 0x1108), tag);
        Assert.Equal("DIFFUGTS", ds.GetString(new DicomTag(0x0029, 0x0011)));
        Assert.Equal("DIFFUGTS", ds.GetPrivateCreator(tag));
        Assert.True(ds.TryGetPrivateTag(0x0029, "OTHER VENDOR", 0x01, reserve: false, out var other));
        Assert.Equal(new DicomTag(0x0029, 0x1001), other);
        Assert.False(ds.TryGetPrivateTag(0x0029, "ABSENT", 0x01, reserve: false, out _));
    }

    [Fact]
    public void Clone_ChangingCopy_LeavesOriginal()
    {
        var original = SyntheticDicom.CtImage();
        var copy = original.Clone();

        copy.AddOrUpdate(DicomTags.PatientID, "other");

        Assert.Equal("PH-0001", original.GetString(DicomTags.PatientID));
    }
}
