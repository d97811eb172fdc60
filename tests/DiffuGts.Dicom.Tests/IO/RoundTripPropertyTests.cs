using System.Text;
using CsCheck;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

/// <summary>Write → read gives the same dataset, for random datasets in every native transfer syntax (STYLE §8.2).</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly DicomDictionaryEntry[] Elements = [.. DicomDictionary.Entries.Where(e =>
        !e.IsMasked && e.Tag.Group > 0x0002 && !e.Tag.IsGroupLength && e.Tag != DicomTags.PixelData && e.VR != DicomVR.SQ
        && !e.Tag.IsItemOrDelimiter)];

    private static readonly DicomDictionaryEntry[] Sequences = [.. DicomDictionary.Entries.Where(e => e.VR == DicomVR.SQ && e.Tag.Group > 0x0002)];

    private static readonly byte[] TextAlphabet = Encoding.ASCII.GetBytes("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-^");

    public static TheoryData<string> NativeSyntaxes => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    };

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void WriteThenRead_RandomDataset_IsStructurallyEqual(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Lookup(syntaxUid);
        Gen.Int.Sample(seed =>
        {
            var dataset = RandomDataset(new Random(seed), depth: 0, explicitVR: syntax.IsExplicitVR);
            dataset.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SecondaryCaptureImageStorage);
            dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3." + (uint)seed);

            var bytes = new DicomFile(dataset, syntax).ToArray();
            var read = DicomFile.Open(bytes, DicomReadOptions.Strict);

            AssertEquivalent(dataset, read.Dataset, "");
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void WriteThenRead_PrivateElementsInExplicitVR_KeepTheirVR()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var dataset = new DicomDataset();
            Assert.True(dataset.TryGetPrivateTag(0x0029, "DIFFUGTS " + random.Next(10), 0x01, reserve: true, out var tag));
            var vr = DicomVR.All.Where(v => v != DicomVR.SQ).ElementAt(random.Next(DicomVR.All.Count - 1));
            dataset.AddOrUpdate(new DicomElement(tag, vr, RandomValue(random, vr)));

            var read = DicomDatasetReader.Read(DicomDatasetWriter.ToArray(dataset, DicomTransferSyntax.ExplicitVRLittleEndian),
                DicomTransferSyntax.ExplicitVRLittleEndian, DicomReadOptions.Strict);

            AssertEquivalent(dataset, read, "");
        }, iter: 100, threads: 1);
    }

    private static DicomDataset RandomDataset(Random random, int depth, bool explicitVR)
    {
        var dataset = new DicomDataset();
        var count = random.Next(1, depth == 0 ? 25 : 6);
        for (var i = 0; i < count; i++)
        {
            if (depth < 3 && random.Next(6) == 0)
            {
                var sq = Sequences[random.Next(Sequences.Length)];
                var items = Enumerable.Range(0, random.Next(0, 3)).Select(_ => RandomDataset(random, depth + 1, explicitVR)).ToArray();
                dataset.AddOrUpdate(new DicomSequence(sq.Tag, items));
                continue;
            }

            var entry = Elements[random.Next(Elements.Length)];
            if (entry.Tag == DicomTags.SpecificCharacterSet)
            {
                continue;
            }

            if (entry.ValueRepresentations.Contains(DicomVR.SS))
            {
                // US-or-SS attributes depend on Pixel Representation in implicit VR (AmbiguousVRTests covers them).
                continue;
            }

            // PS3.5 Annex A.1: an "OB or OW" attribute is OW in implicit VR.
            var vr = !explicitVR && entry.ValueRepresentations.Contains(DicomVR.OW) ? DicomVR.OW : entry.VR;
            dataset.AddOrUpdate(new DicomElement(entry.Tag, vr, RandomValue(random, vr, explicitVR)));
        }

        return dataset;
    }

    private static byte[] RandomValue(Random random, DicomVR vr, bool explicitVR = true)
    {
        if (vr.IsString)
        {
            var max = (int)Math.Min(vr.MaxLength, 80);
            var text = new byte[random.Next(0, max + 1)];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = vr == DicomVR.UI ? (byte)"0123456789."[random.Next(11)] : TextAlphabet[random.Next(TextAlphabet.Length)];
            }

            return text;
        }

        var unit = vr == DicomVR.AT ? 4 : Math.Max(1, vr.UnitSize);
        var limit = vr.HasLongLength || !explicitVR ? 300 : 64;
        var value = new byte[unit * random.Next(0, (limit / unit) + 1)];
        random.NextBytes(value);
        return value;
    }

    /// <summary>Same tags, VRs, item counts and value bytes (an odd original value compares with its padding added).</summary>
    private static void AssertEquivalent(DicomDataset expected, DicomDataset actual, string path)
    {
        Assert.Equal(expected.Select(i => i.Tag), actual.Select(i => i.Tag));
        foreach (var item in expected)
        {
            var other = actual.GetItem(item.Tag);
            var here = path + "/" + item.Tag;
            Assert.True(item.VR == other.VR, $"{here}: VR {item.VR} became {other.VR}");
            switch (item)
            {
                case DicomSequence sequence:
                    var otherSequence = Assert.IsType<DicomSequence>(other);
                    Assert.Equal(sequence.Items.Count, otherSequence.Items.Count);
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        AssertEquivalent(sequence.Items[i], otherSequence.Items[i], $"{here}[{i}]");
                    }

                    break;
                case DicomElement element:
                    var bytes = element.Buffer.ToArray();
                    if (bytes.Length % 2 == 1)
                    {
                        bytes = [.. bytes, element.VR.PaddingByte];
                    }

                    Assert.True(bytes.AsSpan().SequenceEqual(((DicomElement)other).Buffer.Span), $"{here}: value differs");
                    break;
            }
        }
    }
}
