using System.Globalization;
using DiffuGts.Dicom.Dictionary;
using Xunit;

namespace DiffuGts.Dicom.Tests.Dictionary;

public sealed class DicomDictionaryTests
{
    [DcmtkDictionaryFact]
    public void Entries_AgreeWithDcmtkDictionary()
    {
        var dcmtk = DcmtkDictionary.Load(DcmtkDictionary.Find()!);
        var problems = new List<string>();
        foreach (var entry in DicomDictionary.Entries)
        {
            var key = entry.IsMasked
                ? string.Create(CultureInfo.InvariantCulture, $"({entry.Tag.Group:X4}-{entry.Tag.Group | 0xFF:X4},{entry.Tag.Element:X4})")
                : entry.Tag.ToString();
            if (!dcmtk.TryGetValue(key, out var row))
            {
                problems.Add($"{key} {entry.Keyword}: not in DCMTK's dictionary");
                continue;
            }

            var keyword = row.Keyword.StartsWith("RETIRED_", StringComparison.Ordinal) ? row.Keyword["RETIRED_".Length..] : row.Keyword;
            var ours = entry.ValueRepresentations.Select(v => v.Code).ToArray();
            if (keyword != entry.Keyword)
            {
                problems.Add($"{key}: keyword {entry.Keyword}, DCMTK {keyword}");
            }

            if (!ours.SequenceEqual(DcmtkDictionary.StandardVRs(row.Vr)) && !(ours.Length == 1 && DcmtkDictionary.StandardVRs(row.Vr).Contains(ours[0])))
            {
                problems.Add($"{key} {entry.Keyword}: VR {string.Join('/', ours)}, DCMTK {row.Vr}");
            }

            if (row.Vm != entry.ValueMultiplicity)
            {
                problems.Add($"{key} {entry.Keyword}: VM {entry.ValueMultiplicity}, DCMTK {row.Vm}");
            }

            if (row.Keyword.StartsWith("RETIRED_", StringComparison.Ordinal) != entry.IsRetired)
            {
                problems.Add($"{key} {entry.Keyword}: retired flag differs");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Entries_CoverEveryModuleTheIssueNames()
    {
        string[] required =
        [
            "CommandGroupLength", "AffectedSOPClassUID", "Status", "FileMetaInformationGroupLength", "TransferSyntaxUID", "PatientName",
            "StudyInstanceUID", "SeriesInstanceUID", "Manufacturer", "KVP", "ConvolutionKernel", "SharedFunctionalGroupsSequence",
            "PerFrameFunctionalGroupsSequence", "PlanePositionSequence", "PixelMeasuresSequence", "CTReconstructionSequence", "EchoTime",
            "MREchoSequence", "SegmentSequence", "SegmentIdentificationSequence", "ConversionType", "ImagePositionPatient",
            "ImageOrientationPatient", "PixelSpacing", "RescaleSlope", "PixelData", "SOPClassUID", "ExtendedOffsetTable",
        ];

        Assert.All(required, keyword => Assert.NotNull(DicomDictionary.Find(keyword)));
    }

    [Fact]
    public void Entries_AreSortedAndUnique()
    {
        var tags = DicomDictionary.Entries.Select(e => e.Tag).ToList();

        Assert.Equal(tags.Order(), tags);
        Assert.Equal(tags.Count, tags.Distinct().Count());
    }

    [Theory]
    [InlineData(0x6000, 0x3000, "OverlayData")]
    [InlineData(0x6002, 0x0010, "OverlayRows")]
    [InlineData(0x601E, 0x0040, "OverlayType")]
    public void Find_RepeatingGroup_MatchesMask(int group, int element, string keyword) =>
        Assert.Equal(keyword, DicomDictionary.Find(new DicomTag((ushort)group, (ushort)element))?.Keyword);

    [Fact]
    public void Find_OddRepeatingGroup_IsPrivateNotOverlay() => Assert.Null(DicomDictionary.Find(new DicomTag(0x6001, 0x0010)));

    [Theory]
    [InlineData(0x0009, 0x0010, "LO")]
    [InlineData(0x0008, 0x0000, "UL")]
    [InlineData(0x0009, 0x1001, "UN")]
    [InlineData(0x7FE0, 0x0010, "OB")]
    public void GetVR_UnlistedKinds_FollowPS35(int group, int element, string vr) =>
        Assert.Equal(vr, DicomDictionary.GetVR(new DicomTag((ushort)group, (ushort)element)).Code);

    [Fact]
    public void Find_ByKeyword_ReturnsEntry() => Assert.Equal(new DicomTag(0x0010, 0x0010), DicomDictionary.Find("PatientName")!.Tag);

    [Fact]
    public void Parse_MalformedRow_ThrowsWithLineNumber()
    {
        using var reader = new StringReader("tag\tvr\tvm\tkeyword\tname\tretired\n(0010,0010)\tPN\n");

        var ex = Assert.Throws<InvalidDataException>(() => DicomDictionary.Parse(reader));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }
}
