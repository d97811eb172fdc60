namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a 64-bit state
/// advanced by the golden-ratio increment and finalised by a variant of MurmurHash3's mixer. We own the algorithm so a
/// seed gives the same phantom on every runtime and machine; <see cref="Random"/> makes no such promise.
/// </summary>
internal sealed class SplitMix64
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        _state = unchecked(_state + GoldenGamma);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextDouble() * (max - min));

    /// <summary>Approximately standard normal: the Irwin–Hall sum of 12 uniforms minus 6 (only + and ×, so exact everywhere).</summary>
    public double NextGaussian()
    {
        double sum = 0;
        for (var n = 0; n < 12; n++)
        {
            sum += NextDouble();
        }

        return sum - 6.0;
    }

    /// <summary>A child generator whose stream depends only on this one's next output: structures draw from their own stream,
    /// so adding a draw in one structure does not shift every structure after it.</summary>
    public SplitMix64 Fork() => new(NextUInt64());

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit hash.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
