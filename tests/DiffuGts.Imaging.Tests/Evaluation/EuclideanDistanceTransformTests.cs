using DiffuGts.Imaging.Evaluation;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class EuclideanDistanceTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SquaredDistances_RandomFeaturesAnisotropic_EqualsBruteForce(int seed)
    {
        const int nx = 11, ny = 7, nz = 6;
        const double sx = 0.7, sy = 1.3, sz = 2.1;
        var random = new Random(seed);
        var feature = new bool[nx * ny * nz];
        for (var n = 0; n < 6; n++)
        {
            feature[random.Next(feature.Length)] = true;
        }

        var d = EuclideanDistanceTransform.SquaredDistances(feature, nx, ny, nz, sx, sy, sz);

        for (var n = 0; n < feature.Length; n++)
        {
            var best = double.PositiveInfinity;
            for (var m = 0; m < feature.Length; m++)
            {
                if (feature[m])
                {
                    var di = (n % nx - m % nx) * sx;
                    var dj = (n / nx % ny - m / nx % ny) * sy;
                    var dk = (n / (nx * ny) - m / (nx * ny)) * sz;
                    best = Math.Min(best, di * di + dj * dj + dk * dk);
                }
            }

            Assert.Equal(best, d[n], 9);
        }
    }

    [Fact]
    public void SquaredDistances_NoFeature_AllInfinite()
    {
        var d = EuclideanDistanceTransform.SquaredDistances(new bool[24], 2, 3, 4, 1, 1, 1);

        Assert.All(d, v => Assert.True(double.IsPositiveInfinity(v)));
    }
}
