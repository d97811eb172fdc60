using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.IO;

/// <summary>Issue 2 item 10: malformed input gives one typed exception naming the byte offset and the tag path.</summary>
public sealed class MalformedInputTests
{
    private const string ExplicitLE = "1.2.840.10008.1.2.1";

    [Fact]
    public void Open_LengthPastEndInSmallFile_ThrowsWithoutAllocating()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        var offset = b.Length;
        b.Explicit(0x0010, 0x0010, "UT", [], length: 0xFFFFFFF0);
        var bytes = b.ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(bytes, DicomReadOptions.Strict));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(offset, ex.Offset);
        Assert.Equal("(0010,0010)", ex.TagPath);
        Assert.Contains("4294967280", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Open_LengthPastEndOnStreamWithUnknownLength_ThrowsWithoutAllocatingIt()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        b.Explicit(0x0010, 0x0010, "UT", [1, 2, 3, 4], length: 0x7FFFFFF0);
        using var stream = new NonSeekableStream(b.ToArray());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(stream, DicomReadOptions.Strict));

        Assert.Equal("(0010,0010)", ex.TagPath);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16_000_000);
    }

    [Fact]
    public void Open_LengthAboveMaxElementLength_Throws()
    {
        var b = ByteBuilder.Part10(ExplicitLE).Explicit(0x0010, 0x0010, "UT", new byte[64]);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict with { MaxElementLength = 32 }));

        Assert.Contains("configured maximum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedInsideValue_ThrowsInStrictMode()
    {
        var bytes = new DicomFile(SyntheticDicom.CtImage()).ToArray();
        var truncated = bytes[..(bytes.Length - 10)];

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(truncated, DicomReadOptions.Strict));

        Assert.Equal("(7FE0,0010)", ex.TagPath);
        Assert.Equal(bytes.Length - 32 - 12, ex.Offset);
    }

    [Fact]
    public void Open_TruncatedInsideHeader_ThrowsNamingTag()
    {
        var b = ByteBuilder.Part10(ExplicitLE).Tag(0x0010, 0x0010).Raw((byte)'P', (byte)'N');

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Equal("(0010,0010)", ex.TagPath);
    }

    [Fact]
    public void Open_UndefinedLengthOnUS_Throws()
    {
        var b = ByteBuilder.Part10("1.2.840.10008.1.2");
        var offset = b.Length;
        b.Tag(0x0028, 0x0010).UInt32(0xFFFFFFFF).Raw(0, 0);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Equal(offset, ex.Offset);
        Assert.Equal("(0028,0010)", ex.TagPath);
        Assert.Contains("undefined length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LengthNotMultipleOfVRSize_ThrowsInStrictAndWarnsInLenient()
    {
        var b = ByteBuilder.Part10(ExplicitLE).Explicit(0x0028, 0x0010, "US", [1, 0, 0]).Raw(0);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));
        var lenient = DicomFile.Open(b.ToArray());

        Assert.Equal("(0028,0010)", ex.TagPath);
        Assert.NotEmpty(lenient.Warnings);
    }

    [Fact]
    public void Open_ErrorDeepInSequences_NamesFullTagPath()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        b.SequenceStart(0x0008, 0x1115).ItemStart().SequenceStart(0x0008, 0x1199);
        b.ItemStart().ExplicitText(0x0008, 0x1155, "UI", "1.2").ItemEnd();
        b.ItemStart().ExplicitText(0x0008, 0x1155, "UI", "1.3").ItemEnd();
        b.ItemStart().Explicit(0x0008, 0x1155, "UI", "1.4"u8.ToArray(), length: 4000);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Equal("(0008,1115)[0]/(0008,1199)[2]/(0008,1155)", ex.TagPath);
        Assert.Contains("(0008,1115)[0]/(0008,1199)[2]/(0008,1155)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AbsurdNesting_ThrowsAtConfiguredDepth()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        for (var i = 0; i < 10_000; i++)
        {
            b.SequenceStart(0x0008, 0x1115).ItemStart();
        }

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Default));

        Assert.Contains("nest deeper", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("(0008,1115)[0]/(0008,1115)[0]/", ex.TagPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ItemTagOutsideSequence_Throws()
    {
        var b = ByteBuilder.Part10(ExplicitLE).ItemStart(0);

        Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));
    }

    [Fact]
    public void Open_ElementWhereItemExpected_ThrowsNamingSequence()
    {
        var b = ByteBuilder.Part10(ExplicitLE).SequenceStart(0x0008, 0x1115).ExplicitText(0x0008, 0x1155, "UI", "1.2");

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Equal("(0008,1115)", ex.TagPath);
        Assert.Contains("expected an item", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ItemLongerThanSequence_Throws()
    {
        var b = ByteBuilder.Part10(ExplicitLE);
        b.Tag(0x0008, 0x1115).Raw((byte)'S', (byte)'Q', 0, 0).UInt32(8).ItemStart(16).ExplicitText(0x0008, 0x1155, "UI", "1.2.3.4");

        Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));
    }

    [Fact]
    public void Open_BasicOffsetTableNotMultipleOfFour_Throws()
    {
        var b = ByteBuilder.Part10("1.2.840.10008.1.2.5");
        b.Tag(0x7FE0, 0x0010).Raw((byte)'O', (byte)'B', 0, 0).UInt32(0xFFFFFFFF).ItemStart(6).Raw(0, 0, 0, 0, 0, 0).SequenceEnd();

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Equal("(7FE0,0010)", ex.TagPath);
    }

    [Fact]
    public void Open_FragmentsWithoutDelimiter_Throws()
    {
        var b = ByteBuilder.Part10("1.2.840.10008.1.2.5");
        b.Tag(0x7FE0, 0x0010).Raw((byte)'O', (byte)'B', 0, 0).UInt32(0xFFFFFFFF).ItemStart(0).ItemStart(2).Raw(1, 2);

        Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Default));
    }

    [Fact]
    public void Open_InvalidVRBytes_Throws()
    {
        var b = ByteBuilder.Part10(ExplicitLE).Tag(0x0010, 0x0010).Raw(0x01, 0x02, 0x00, 0x00);

        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));

        Assert.Contains("not a value representation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptDeflate_Throws()
    {
        var b = ByteBuilder.Part10("1.2.840.10008.1.2.1.99").Raw(0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02);

        Assert.Throws<DicomFormatException>(() => DicomFile.Open(b.ToArray(), DicomReadOptions.Strict));
    }

    [Theory]
    [InlineData(DicomReadMode.Strict)]
    [InlineData(DicomReadMode.Lenient)]
    public void Open_RandomBytes_ThrowsOnlyDicomFormatException(DicomReadMode mode)
    {
        var random = new Random(20261128);
        var options = new DicomReadOptions { Mode = mode };
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 132)
            {
                "DICM"u8.CopyTo(bytes.AsSpan(128));
            }

            try
            {
                DicomFile.Open(bytes, options);
            }
            catch (DicomFormatException)
            {
            }
        }
    }

    [Fact]
    public void Open_MutatedValidFile_ThrowsOnlyDicomFormatException()
    {
        var valid = new DicomFile(SyntheticDicom.CtImage()).ToArray();
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = 0; k < 1 + random.Next(4); k++)
            {
                bytes[132 + random.Next(bytes.Length - 132)] = (byte)random.Next(256);
            }

            foreach (var mode in new[] { DicomReadOptions.Strict, DicomReadOptions.Default })
            {
                try
                {
                    DicomFile.Open(bytes, mode);
                }
                catch (DicomFormatException)
                {
                }
            }
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override bool TryGetBuffer(out ArraySegment<byte> buffer)
        {
            buffer = default;
            return false;
        }
    }
}
