using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>What to generate. The same options (seed included) always give the same voxels, on any machine.</summary>
public sealed record PhantomOptions
{
    public ulong Seed { get; init; }

    public int SizeX { get; init; } = 128;

    public int SizeY { get; init; } = 128;

    public int SizeZ { get; init; } = 64;

    /// <summary>Voxel spacing in mm; null picks a 384 mm field of view in-plane and 192 mm along z.</summary>
    public Vector3D? Spacing { get; init; }

    public PhantomRegion Region { get; init; } = PhantomRegion.Abdomen;

    public ContrastPhase Phase { get; init; } = ContrastPhase.PortalVenous;

    public IReadOnlyList<LesionRequest> Lesions { get; init; } = [];

    /// <summary>Standard deviation of the correlated image noise in HU; null draws 8–16 HU from the seed.</summary>
    public double? NoiseHu { get; init; }

    public Vector3D EffectiveSpacing => Spacing ?? new Vector3D(384.0 / SizeX, 384.0 / SizeY, 192.0 / SizeZ);

    /// <exception cref="ArgumentException">A size, spacing or lesion is out of range.</exception>
    public void Validate()
    {
        if (SizeX is < 16 or > 1024 || SizeY is < 16 or > 1024 || SizeZ is < 1 or > 1024)
        {
            throw new ArgumentException($"size {SizeX}x{SizeY}x{SizeZ} is out of range (16–1024 in-plane, 1–1024 slices)");
        }

        var s = EffectiveSpacing;
        if (!(s.X is >= 0.1 and <= 20 && s.Y is >= 0.1 and <= 20 && s.Z is >= 0.1 and <= 20))
        {
            throw new ArgumentException($"spacing {s.X}x{s.Y}x{s.Z} mm is out of range (0.1–20 mm)");
        }

        if (NoiseHu is < 0 or > 200)
        {
            throw new ArgumentException($"noise {NoiseHu} HU is out of range (0–200)");
        }

        foreach (var lesion in Lesions)
        {
            if (!LesionRequest.Organs.Values.Contains(lesion.Organ))
            {
                throw new ArgumentException($"lesions cannot be placed in {lesion.Organ}");
            }
        }
    }
}
