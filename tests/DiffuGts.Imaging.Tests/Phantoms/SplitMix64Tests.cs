using DiffuGts.Imaging.Phantoms;
using Xunit;

namespace DiffuGts.Imaging.Tests.Phantoms;

public sealed class SplitMix64Tests
{
    [Fact]
    public void NextUInt64_Seed1234567_MatchesPublishedSequence()
    {
        // The SplitMix64 test vector published with the algorithm's reference code (Rosetta Code, seed 1234567).
        var rng = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()).ToArray());
    }

    [Fact]
    public void NextDouble_ManyDraws_UniformInUnitInterval()
    {
        var rng = new SplitMix64(7);
        var draws = Enumerable.Range(0, 20000).Select(_ => rng.NextDouble()).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 0, 1 - 1e-17));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }

    [Theory]
    [InlineData(-3.7)]
    [InlineData(-0.5)]
    [InlineData(0.0)]
    [InlineData(1.234)]
    [InlineData(12.5)]
    public void DeterministicMath_AgreesWithPlatformLibm(double x)
    {
        Assert.Equal(Math.Exp(x), DeterministicMath.Exp(x), 1e-12 * Math.Exp(x));
        Assert.Equal(Math.Sin(x), DeterministicMath.Sin(x), 1e-12);
        Assert.Equal(Math.Cos(x), DeterministicMath.Cos(x), 1e-12);
    }

    [Fact]
    public void LatticeNoise_SameSeedAndStream_SameValuesAnyOrder()
    {
        var a = new LatticeNoise(42, 3);
        var b = new LatticeNoise(42, 3);
        var points = Enumerable.Range(0, 50).Select(n => (n * 0.37, n * -1.3, n * 0.11)).ToArray();
        var forward = points.Select(p => a.At(p.Item1, p.Item2, p.Item3)).ToArray();
        var backward = points.Reverse().Select(p => b.At(p.Item1, p.Item2, p.Item3)).Reverse().ToArray();
        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, points.Select(p => new LatticeNoise(43, 3).At(p.Item1, p.Item2, p.Item3)).ToArray());
        Assert.All(forward, v => Assert.InRange(v, -1, 1));
    }
}
