using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Tiling;

namespace DiffuGts.Inference.Tests.Tiling;

public sealed class SlidingWindowTests
{
    [Theory]
    [InlineData(BlendMode.Gaussian)]
    [InlineData(BlendMode.Linear)]
    [InlineData(BlendMode.Constant)]
    public void Run_IdentityNetworkOverOverlappingTiles_ReturnsTheInput(BlendMode blend)
    {
        var input = new FloatTensor([1, 1, 24, 40, 56]);
        for (var n = 0; n < input.Data.Length; n++)
        {
            input.Data[n] = MathF.Sin(n * 0.01f);
        }

        var calls = 0;
        var output = SlidingWindow.Run((24, 40, 56), (16, 16, 16), 0.5, blend, 8, [new(input, 1)], [new(1, 1)],
            (tile, _) =>
            {
                calls++;
                return [tile[0]];
            }, CancellationToken.None)[0];

        Assert.True(calls > 8);
        for (var n = 0; n < input.Data.Length; n++)
        {
            Assert.Equal(input.Data[n], output.Data[n], 1e-5f);
        }
    }

    [Fact]
    public void Run_OutputAtStrideFour_AssemblesTheDownsampledGrid()
    {
        // A "network" that returns the tile's mean at stride 4: the stitched result must be the block means.
        var input = new FloatTensor([1, 1, 16, 32, 32]);
        for (var n = 0; n < input.Data.Length; n++)
        {
            input.Data[n] = n / (32 * 32) / 4;
        }

        var output = SlidingWindow.Run((16, 32, 32), (16, 16, 16), 0.25, BlendMode.Gaussian, 8, [new(input, 1)], [new(1, 4)],
            (tile, _) =>
            {
                var (z, y, x) = tile[0].Spatial;
                var result = new FloatTensor([1, 1, z / 4, y / 4, x / 4]);
                for (var k = 0; k < z / 4; k++)
                {
                    result.Data.AsSpan(k * (y / 4) * (x / 4), (y / 4) * (x / 4)).Fill(tile[0].Data[k * 4 * y * x]);
                }

                return [result];
            }, CancellationToken.None)[0];

        Assert.Equal([1, 1, 4, 8, 8], output.Shape);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(k, output.Data[k * 64], 1e-5f);
        }
    }

    [Fact]
    public void FitToBudget_LargeTileSmallBudget_ShrinksLongestAxisFirstInAlignedSteps()
    {
        var tile = SlidingWindow.FitToBudget((64, 128, 128), 32, 1024, 64L * 96 * 96 * 1024);
        Assert.True((long)tile.Z * tile.Y * tile.X * 1024 <= 64L * 96 * 96 * 1024);
        Assert.Equal(0, tile.Y % 32);
        Assert.Equal(64, tile.Z);
        Assert.Equal((64, 128, 128), SlidingWindow.FitToBudget((64, 128, 128), 32, 1, long.MaxValue));
    }

    [Fact]
    public void Starts_LastTileIsFlushWithTheEnd() =>
        Assert.Equal([0, 48, 96, 112], SlidingWindow.Starts(176, 64, 0.25, 16));
}
