using System.Text;
using System.Text.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Dicom;

/// <summary>
/// Our Part 10 reader and writer against DCMTK (dump2dcm, dcmconv, dcm2json, dcmdump) and dicom3tools (dciodvfy). Every
/// input file is made at test time from a text dump written here.
/// </summary>
public sealed class DcmtkDicomInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [PeerTheory("dump2dcm", "dcmconv", "dcm2json")]
    [InlineData("utf8", "+ti")]
    [InlineData("utf8", "+te")]
    [InlineData("utf8", "+tb")]
    [InlineData("utf8", "+td")]
    [InlineData("latin1", "+ti")]
    [InlineData("latin1", "+te")]
    [InlineData("latin1", "+tb")]
    [InlineData("latin1", "+td")]
    public void Open_DcmtkFileInEachSyntax_EqualsDcm2Json(string charset, string syntaxFlag)
    {
        using var temp = new TempDirectory("dicom-interop");
        var dump = temp.Combine("in.txt");
        File.WriteAllBytes(dump, DumpText(charset));
        var made = temp.Combine("made.dcm");
        var converted = temp.Combine("converted.dcm");
        Run("dump2dcm", "+te", dump, made);
        Run("dcmconv", syntaxFlag, made, converted);

        var file = DicomFile.Open(File.ReadAllBytes(converted), DicomReadOptions.Strict);
        var json = Json(converted);

        Assert.Empty(file.Warnings);
        var differences = Dcm2JsonComparer.Compare(file.Dataset, json);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
        Assert.True(json.EnumerateObject().Count() >= 25, "dcm2json returned too few attributes: the comparison would prove little");

        // And what we write back is, for DCMTK, the same dataset.
        var rewritten = temp.Combine("rewritten.dcm");
        File.WriteAllBytes(rewritten, file.ToArray());
        Assert.Equal(Json(converted).ToString(), Json(rewritten).ToString());
    }

    [PeerFact("dcmdump", "dciodvfy", "dcm2json")]
    public void Save_SyntheticCtInEachNativeSyntax_PassesDcmdumpAndDciodvfy()
    {
        using var temp = new TempDirectory("dicom-interop");
        foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian,
                     DicomTransferSyntax.ExplicitVRBigEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian })
        {
            var path = temp.Combine($"ct-{syntax.Uid}.dcm");
            var dataset = SyntheticDicom.CtImage(64, 48);
            File.WriteAllBytes(path, new DicomFile(dataset, syntax).ToArray());

            var dcmdump = ProcessRunner.Run(Peers.Require("dcmdump"), ["-q", "+E", path], Timeout);
            Assert.Equal(0, dcmdump.ExitCode);
            var complaints = (dcmdump.StandardError + dcmdump.StandardOutput).Split('\n')
                .Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)).ToList();
            Assert.True(complaints.Count == 0, $"{syntax.Name}: {string.Join('\n', complaints)}");
            Assert.Contains("Phantom^Jürgen", dcmdump.StandardOutput, StringComparison.Ordinal);

            var differences = Dcm2JsonComparer.Compare(DicomFile.Open(File.ReadAllBytes(path)).Dataset, Json(path));
            Assert.True(differences.Count == 0, $"{syntax.Name}:\n{string.Join('\n', differences)}");
        }

        var dciodvfy = ProcessRunner.Run(Peers.Require("dciodvfy"), [temp.Combine($"ct-{DicomTransferSyntax.ExplicitVRLittleEndian.Uid}.dcm")], Timeout);
        var errors = (dciodvfy.StandardError + dciodvfy.StandardOutput).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [PeerFact("dcmdump")]
    public void Open_MalformedFile_DcmdumpAlsoRejectsIt()
    {
        using var temp = new TempDirectory("dicom-interop");
        var bytes = new DicomFile(SyntheticDicom.CtImage()).ToArray();
        var path = temp.Combine("truncated.dcm");
        File.WriteAllBytes(path, bytes[..^40]);

        var ours = Assert.Throws<DicomFormatException>(() => DicomFile.Open(File.ReadAllBytes(path), DicomReadOptions.Strict));
        var dcmdump = ProcessRunner.Run(Peers.Require("dcmdump"), [path], Timeout);

        Assert.Equal("(7FE0,0010)", ours.TagPath);
        Assert.NotEqual(0, dcmdump.ExitCode);
    }

    private static JsonElement Json(string path)
    {
        var output = Run("dcm2json", "-fc", path);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string Run(string tool, params string[] arguments)
    {
        var result = ProcessRunner.Run(Peers.Require(tool), arguments, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// A multi-frame Secondary Capture with sequences nested two deep, every common VR, a private block and non-ASCII text in
    /// UTF-8 (ISO_IR 192) or Latin-1 (ISO_IR 100). dump2dcm copies the bytes of [...] values as they are.
    /// </summary>
    private static byte[] DumpText(string charset)
    {
        var utf8 = charset == "utf8";
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        Line($"(0008,0005) CS [{(utf8 ? "ISO_IR 192" : "ISO_IR 100")}]");
        Line("(0008,0008) CS [DERIVED\\SECONDARY]");
        Line("(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7.2]");
        Line("(0008,0018) UI [1.2.826.0.1.3680043.10.1234.99.1]");
        Line("(0008,0020) DA [20261128]");
        Line("(0008,0030) TM [103015.5]");
        Line("(0008,002a) DT [20261128103015.123456+0100]");
        Line("(0008,0060) CS [OT]");
        Line("(0008,0081) ST [1 Synthetic Way\\Nowhere]");
        Line("(0008,0119) UC [A long code value that is longer than sixteen characters]");
        Line("(0008,0120) UR [urn:oid:1.2.840.10008.6.1.1]");
        Line("(0008,1010) SH [STATION 1]");
        Line("(0008,0064) CS [WSD]");
        Line("(0008,0090) PN []");
        Line(utf8 ? "(0008,1030) LO [Étude synthétique ünïcode 山田]" : "(0008,1030) LO [Étude synthétique Café]");
        Line("(0008,1115) SQ (Sequence with undefined length #=1)");
        Line("  (fffe,e000) na (Item with undefined length #=2)");
        Line("    (0008,1199) SQ (Sequence with undefined length #=3)");
        for (var i = 0; i < 3; i++)
        {
            Line("      (fffe,e000) na (Item with undefined length #=3)");
            Line("        (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]");
            Line($"        (0008,1155) UI [1.2.826.0.1.3680043.10.1234.7.{i}]");
            Line($"        (0008,1160) IS [{i + 1}\\{i + 2}]");
            Line("      (fffe,e00d) na (ItemDelimitationItem)");
        }

        Line("    (fffe,e0dd) na (SequenceDelimitationItem)");
        Line("    (0020,000e) UI [1.2.826.0.1.3680043.10.1234.8]");
        Line("  (fffe,e00d) na (ItemDelimitationItem)");
        Line("(fffe,e0dd) na (SequenceDelimitationItem)");
        Line(utf8 ? "(0010,0010) PN [Yamada^Tarou=山田^太郎=やまだ^たろう]" : "(0010,0010) PN [Müller^Jürgen]");
        Line("(0010,0020) LO [PH-0002]");
        Line("(0010,0030) DA [19700101]");
        Line("(0010,0040) CS [O]");
        Line("(0010,1010) AS [055Y]");
        Line(utf8 ? "(0010,4000) LT [Zeile mit \\ Backslash und Ümlaut]" : "(0010,4000) LT [Zeile mit \\ Backslash und Ümlaut]");
        Line("(0018,0050) DS [2.5]");
        Line("(0018,1310) US 0\\256\\192\\0");
        Line("(0018,9306) FD 0.625");
        Line("(0020,000d) UI [1.2.826.0.1.3680043.10.1234.1]");
        Line("(0020,0013) IS [7]");
        Line("(0020,0032) DS [-120.5\\-99.25\\37]");
        Line("(0020,9057) UL 5");
        Line("(0020,9165) AT (0018,0050)");
        Line("(0020,9241) FL 12.5");
        Line("(0028,0002) US 1");
        Line("(0028,0004) CS [MONOCHROME2]");
        Line("(0028,0008) IS [3]");
        Line("(0028,0010) US 4");
        Line("(0028,0011) US 4");
        Line("(0028,0100) US 8");
        Line("(0028,0101) US 8");
        Line("(0028,0102) US 7");
        Line("(0028,0103) US 0");
        Line("(0028,1041) SS -1");
        Line("(0029,0010) LO [DIFFUGTS TEST]");
        Line("(0062,0020) UT [tracking text with trailing spaces   ]");
        Line("(0029,1001) LO [private value]");
        Line("(7fe0,0001) OV 0\\8");
        Line("(7fe0,0009) OD 1.5\\-2.25");
        Line("(7fe0,0010) OB " + string.Join('\\', Enumerable.Range(0, 48).Select(i => i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
        var encoding = utf8 ? Encoding.UTF8 : Encoding.Latin1;
        return encoding.GetBytes(text.ToString());
    }
}
