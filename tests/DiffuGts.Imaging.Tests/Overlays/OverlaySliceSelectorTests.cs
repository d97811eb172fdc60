using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Overlays;

public sealed class OverlaySliceSelectorTests
{
    [Fact]
    public void Select_KeySlices_LargestLesionWidestSlicePlusNEitherSide()
    {
        var g = OverlayTestData.Grid(64, 64, 30);
        var mask = new Volume<byte>(g);
        OverlayTestData.AddBall(mask, 20, 20, 8, 3);   // small lesion, slices 5–11
        OverlayTestData.AddBall(mask, 45, 45, 20, 6);  // large lesion, widest at slice 20, slices 14–26
        var selection = new OverlaySliceSelection { Policy = OverlaySlicePolicy.KeySlices, SlicesEitherSide = 2 };

        var slices = OverlaySliceSelector.Select([OverlayTestData.Segment("lesion", mask)], selection);

        Assert.Equal([18, 19, 20, 21, 22], slices);
    }

    [Fact]
    public void Select_KeySlicesNearTheLesionEnd_StaysWithinTheLesion()
    {
        var g = OverlayTestData.Grid(32, 32, 10);
        var mask = new Volume<byte>(g);
        for (var k = 0; k < 3; k++)
        {
            OverlayTestData.AddBall(mask, 16, 16, k, 4 - k); // widest at slice 0
        }

        var slices = OverlaySliceSelector.Select(
            [OverlayTestData.Segment("lesion", mask)], new OverlaySliceSelection { SlicesEitherSide = 3 });

        Assert.Equal(0, slices[0]);
        Assert.All(slices, k => Assert.True(mask.Slice(k).Contains((byte)1), $"slice {k} has no finding"));
    }

    [Fact]
    public void Select_AllWithFindings_EverySliceWithAnyVoxelOfAnySegment()
    {
        var g = OverlayTestData.Grid(32, 32, 20);
        var a = OverlayTestData.AddBall(new Volume<byte>(g), 10, 10, 3, 1);  // slices 2–4
        var b = OverlayTestData.AddBall(new Volume<byte>(g), 20, 20, 12, 2); // slices 10–14
        var selection = new OverlaySliceSelection { Policy = OverlaySlicePolicy.AllWithFindings };

        var slices = OverlaySliceSelector.Select([OverlayTestData.Segment("a", a), OverlayTestData.Segment("b", b, 1)], selection);

        Assert.Equal([2, 3, 4, 10, 11, 12, 13, 14], slices);
    }

    [Fact]
    public void Select_CapBelowFindings_KeepsEverySegmentsKeySliceFirst()
    {
        var g = OverlayTestData.Grid(48, 48, 40);
        var big = OverlayTestData.AddBall(new Volume<byte>(g), 24, 24, 20, 10);  // slices 10–30, widest at 20
        var small = OverlayTestData.AddBall(new Volume<byte>(g), 10, 10, 3, 1);  // slices 2–4, widest at 3
        var selection = new OverlaySliceSelection { Policy = OverlaySlicePolicy.AllWithFindings, MaxSlices = 4 };

        var slices = OverlaySliceSelector.Select([OverlayTestData.Segment("big", big), OverlayTestData.Segment("small", small, 1)], selection);

        Assert.Equal(4, slices.Count);
        Assert.Contains(3, slices);
        Assert.Contains(20, slices);
        Assert.Equal(slices.Order(), slices);
    }

    [Fact]
    public void Select_EmptyMasks_ReturnsNoSlices()
    {
        var g = OverlayTestData.Grid(16, 16, 4);

        Assert.Empty(OverlaySliceSelector.Select([OverlayTestData.Segment("lesion", new Volume<byte>(g))]));
    }

    [Fact]
    public void Select_NegativeCap_ThrowsArgumentOutOfRange()
    {
        var g = OverlayTestData.Grid(16, 16, 4);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OverlaySliceSelector.Select([OverlayTestData.Segment("lesion", new Volume<byte>(g))], new OverlaySliceSelection { MaxSlices = 0 }));
    }
}
