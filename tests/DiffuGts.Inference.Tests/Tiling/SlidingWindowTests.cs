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
    public void Run_ReuseUniformTiles_RunsEachUniformTileOnceAndAssemblesTheSameOutput()
    {
        // A body in the middle of air: the tiles wholly in air (one value) encode alike, so they run once.
        var input = new FloatTensor([1, 1, 32, 64, 64]);
        for (var k = 0; k < 32; k++)
        {
            for (var j = 0; j < 64; j++)
            {
                for (var i = 0; i < 64; i++)
                {
                    var inBody = j is >= 20 and < 44 && i is >= 20 and < 44;
                    input.Data[(((k * 64) + j) * 64) + i] = inBody ? 0.5f + (0.01f * MathF.Sin((k * 7) + j + (i * 3))) : 0f;
                }
            }
        }

        // A position-independent "network": each output voxel mixes its tile's neighbours, as a convolution does.
        FloatTensor[] Network(FloatTensor[] tile)
        {
            var (z, y, x) = tile[0].Spatial;
            var result = new FloatTensor([1, 1, z, y, x]);
            for (var n = 0; n < result.Data.Length; n++)
            {
                result.Data[n] = (tile[0].Data[n] * 2f) + tile[0].Data[(n + 1) % result.Data.Length] + 0.25f;
            }

            return [result];
        }

        FloatTensor RunOnce(bool reuse, out int calls)
        {
            var count = 0;
            var output = SlidingWindow.Run((32, 64, 64), (16, 16, 16), 0, BlendMode.Gaussian, 16, [new(input, 1)], [new(1, 1)],
                (tile, _) =>
                {
                    count++;
                    return Network(tile);
                }, CancellationToken.None, reuseUniformTiles: reuse)[0];
            calls = count;
            return output;
        }

        var plain = RunOnce(false, out var plainCalls);
        var reused = RunOnce(true, out var reusedCalls);
        Assert.Equal(2 * 4 * 4, plainCalls);
        Assert.Equal((2 * 2 * 2) + 1, reusedCalls); // the 8 tiles touching the body, and one for all 24 tiles of air
        Assert.Equal(plain.Data, reused.Data);
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
