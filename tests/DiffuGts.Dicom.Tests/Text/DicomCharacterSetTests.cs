using System.Text;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Text;
using Xunit;

namespace DiffuGts.Dicom.Tests.Text;

public sealed class DicomCharacterSetTests
{
    static DicomCharacterSetTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData("ISO_IR 100", "Buc^Jérôme", 28591)]
    [InlineData("ISO_IR 101", "Dvořák^Antonín", 28592)]
    [InlineData("ISO_IR 144", "Люкceмбypг", 28595)]
    [InlineData("ISO_IR 126", "Διονυσιος", 28597)]
    [InlineData("ISO_IR 138", "שרון^דבורה", 28598)]
    [InlineData("ISO_IR 127", "قباني^لنزار", 28596)]
    [InlineData("ISO_IR 148", "Çiğdem", 28599)]
    [InlineData("ISO_IR 166", "ภาษาไทย", 874)]
    [InlineData("ISO_IR 192", "Wang^XiaoDong=王^小東=", 65001)]
    [InlineData("GB18030", "Wang^XiaoDong=王^小东=", 54936)]
    [InlineData("GBK", "Wang^XiaoDong=王^小东=", 936)]
    public void Decode_SingleTerm_UsesMatchingCodePage(string term, string text, int codePage)
    {
        var bytes = Encoding.GetEncoding(codePage).GetBytes(text);

        Assert.Equal(text, DicomCharacterSet.FromTerms([term]).Decode(bytes));
    }

    [Fact]
    public void Decode_Iso2022Japanese_FollowsEscapeSequences()
    {
        // PS3.5 Annex H.3.1: "Yamada^Tarou=山田^太郎=やまだ^たろう" with Specific Character Set "\ISO 2022 IR 87".
        byte[] esc2B = [0x1B, 0x24, 0x42];
        byte[] escAscii = [0x1B, 0x28, 0x42];
        var bytes = new List<byte>();
        bytes.AddRange("Yamada^Tarou="u8.ToArray());
        bytes.AddRange([.. esc2B, 0x3B, 0x33, 0x45, 0x44, .. escAscii, (byte)'^', .. esc2B, 0x42, 0x40, 0x4F, 0x3A, .. escAscii, (byte)'=']);
        bytes.AddRange([.. esc2B, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, .. escAscii, (byte)'^', .. esc2B, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, .. escAscii]);

        var text = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]).Decode(bytes.ToArray());

        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", text);
    }

    [Fact]
    public void Decode_Iso2022Korean_DecodesG1Designation()
    {
        var euc = Encoding.GetEncoding(51949);
        var bytes = new List<byte>("Hong^Gildong="u8.ToArray());
        bytes.AddRange([0x1B, 0x24, 0x29, 0x43, .. euc.GetBytes("洪"), (byte)'^', 0x1B, 0x24, 0x29, 0x43, .. euc.GetBytes("吉洞")]);

        var text = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]).Decode(bytes.ToArray());

        Assert.Equal("Hong^Gildong=洪^吉洞", text);
    }

    [Fact]
    public void Decode_Iso2022Latin1Extension_DecodesHighBytes() =>
        Assert.Equal("Müller", DicomCharacterSet.FromTerms(["ISO 2022 IR 100"]).Decode(Encoding.Latin1.GetBytes("Müller")));

    [Theory]
    [InlineData("ISO-IR 100")]
    [InlineData("ISO_IR100")]
    [InlineData("iso_ir 100")]
    public void FromTerms_MisspeltLatin1_IsUnderstood(string term)
    {
        var set = DicomCharacterSet.FromTerms([term]);

        Assert.Empty(set.UnknownTerms);
        Assert.Equal("é", set.Decode([0xE9]));
    }

    [Fact]
    public void FromTerms_UnknownTerm_IsReportedAndDecodesAsDefault()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 999"]);

        Assert.Equal(new[] { "ISO_IR 999" }, set.UnknownTerms);
        Assert.Equal("abc", set.Decode("abc"u8));
    }

    [Fact]
    public void Decode_DefaultRepertoireWithUtf8Bytes_FallsBackWithoutLoss() =>
        Assert.Equal("Jürgen", DicomCharacterSet.Default.Decode(Encoding.UTF8.GetBytes("Jürgen")));

    [Fact]
    public void Encode_Utf8_RoundTrips()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192").AddOrUpdate(DicomTags.PatientName, "山田^太郎");

        Assert.Equal(Encoding.UTF8.GetBytes("山田^太郎"), ds.GetBuffer(DicomTags.PatientName).ToArray());
        Assert.Equal("山田^太郎", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Encode_Iso2022Japanese_WritesEscapes()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        var bytes = set.Encode("山田");

        Assert.Equal(new byte[] { 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42 }, bytes);
        Assert.Equal("山田", set.Decode(bytes));
    }
}
