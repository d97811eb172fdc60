namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Value noise on the integer lattice with quintic interpolation: a smooth random field in [−1, 1] whose lattice values
/// are hashes of (seed, stream, cell). It is stateless, so voxels can be evaluated in any order or in parallel and the
/// result is the same; every shape deformation and tissue texture in a phantom is one stream of it.
/// </summary>
internal readonly struct LatticeNoise
{
    private readonly ulong _key;

    public LatticeNoise(ulong seed, ulong stream) => _key = SplitMix64.Mix(seed ^ SplitMix64.Mix(stream + 0x632BE59BD9B4E019UL));

    /// <summary>Noise at (x, y, z) measured in lattice cells.</summary>
    public double At(double x, double y, double z)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y), fz = Math.Floor(z);
        long ix = (long)fx, iy = (long)fy, iz = (long)fz;
        double u = DeterministicMath.Fade(x - fx), v = DeterministicMath.Fade(y - fy), w = DeterministicMath.Fade(z - fz);

        double c000 = Corner(ix, iy, iz), c100 = Corner(ix + 1, iy, iz);
        double c010 = Corner(ix, iy + 1, iz), c110 = Corner(ix + 1, iy + 1, iz);
        double c001 = Corner(ix, iy, iz + 1), c101 = Corner(ix + 1, iy, iz + 1);
        double c011 = Corner(ix, iy + 1, iz + 1), c111 = Corner(ix + 1, iy + 1, iz + 1);

        var x00 = c000 + (c100 - c000) * u;
        var x10 = c010 + (c110 - c010) * u;
        var x01 = c001 + (c101 - c001) * u;
        var x11 = c011 + (c111 - c011) * u;
        var y0 = x00 + (x10 - x00) * v;
        var y1 = x01 + (x11 - x01) * v;
        return y0 + (y1 - y0) * w;
    }

    /// <summary>One-dimensional noise at t (lattice cells): two hashes instead of eight, for profiles along z.</summary>
    public double At1D(double t)
    {
        var ft = Math.Floor(t);
        var it = (long)ft;
        var u = DeterministicMath.Fade(t - ft);
        double c0 = Corner(it, 0, 0), c1 = Corner(it + 1, 0, 0);
        return c0 + (c1 - c0) * u;
    }

    /// <summary>Noise at a point in mm with a feature size (lattice cell) of <paramref name="scaleMm"/>.</summary>
    public double At(double x, double y, double z, double scaleMm) => At(x / scaleMm, y / scaleMm, z / scaleMm);

    /// <summary>Two octaves (the second at half the size and half the amplitude), normalised to about [−1, 1].</summary>
    public double Fractal(double x, double y, double z, double scaleMm) =>
        (At(x / scaleMm, y / scaleMm, z / scaleMm) + 0.5 * At(2 * x / scaleMm + 17.3, 2 * y / scaleMm + 5.1, 2 * z / scaleMm + 9.7)) / 1.5;

    /// <summary>A hashed uniform in [−1, 1] for one lattice cell.</summary>
    public double Corner(long ix, long iy, long iz)
    {
        unchecked
        {
            var h = SplitMix64.Mix(_key ^ ((ulong)ix * 0x9E3779B97F4A7C15UL) ^ ((ulong)iy * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)iz * 0x165667B19E3779F9UL));
            return (h >> 11) * (2.0 / (1UL << 53)) - 1.0;
        }
    }
}
