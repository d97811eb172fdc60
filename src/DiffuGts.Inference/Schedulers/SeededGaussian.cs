namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// Deterministic N(0, 1) noise: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, and the Box–Muller
/// transform. Integer-only state, so the same seed gives the same stream on every machine and runtime (unlike
/// <see cref="Random"/>, whose algorithm is not a contract); values are rounded to float.
/// </summary>
public sealed class SeededGaussian
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private float? _spare;

    public SeededGaussian(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in (0, 1]: the top 53 bits, shifted away from 0 so that ln(u) is finite.</summary>
    public double NextUniform() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    public float NextGaussian()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        // Box–Muller: r = √(−2 ln u1), θ = 2π·u2; (r cos θ, r sin θ) are independent N(0, 1).
        var r = Math.Sqrt(-2.0 * Math.Log(NextUniform()));
        var theta = 2.0 * Math.PI * NextUniform();
        _spare = (float)(r * Math.Sin(theta));
        return (float)(r * Math.Cos(theta));
    }

    public void Fill(Span<float> destination)
    {
        for (var n = 0; n < destination.Length; n++)
        {
            destination[n] = NextGaussian();
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        unchecked
        {
            var z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
