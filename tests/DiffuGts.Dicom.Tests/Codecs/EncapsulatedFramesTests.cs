using DiffuGts.Dicom.Codecs;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

public sealed class EncapsulatedFramesTests
{
    private static readonly ReadOnlyMemory<byte>[] Fragments = [new byte[] { 1, 2 }, new byte[] { 3, 4, 5, 6 }, new byte[] { 7, 8 }];

    [Fact]
    public void Split_OffsetTable_GroupsFragmentsByFrame()
    {
        // Frame 0 starts at the first item (offset 0); frame 1 at the third: 8 + 2 + 8 + 4 = 22.
        var frames = EncapsulatedFrames.Split([0, 22], Fragments, 2);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, frames[0].ToArray());
        Assert.Equal(new byte[] { 7, 8 }, frames[1].ToArray());
    }

    [Fact]
    public void Split_EmptyTableOneFragmentPerFrame_ReturnsEachFragment()
    {
        var frames = EncapsulatedFrames.Split([], Fragments, 3);

        Assert.Equal([[1, 2], [3, 4, 5, 6], [7, 8]], frames.Select(f => f.ToArray()));
    }

    [Fact]
    public void Split_EmptyTableSingleFrame_ConcatenatesAllFragments()
    {
        var frames = EncapsulatedFrames.Split([], Fragments, 1);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, frames.Single().ToArray());
    }

    [Theory]
    [InlineData(new uint[] { 0, 21 }, 2, "does not point")]
    [InlineData(new uint[] { 0, 0 }, 2, "does not point")]
    [InlineData(new uint[] { 0 }, 2, "1 entries for 2 frames")]
    [InlineData(new uint[] { 0, 100 }, 2, "does not point")]
    [InlineData(new uint[0], 2, "frame boundaries are unknown")]
    [InlineData(new uint[0], 0, "not positive")]
    public void Split_InconsistentTable_ThrowsInvalidData(uint[] table, int frames, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => EncapsulatedFrames.Split(table, Fragments, frames));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
