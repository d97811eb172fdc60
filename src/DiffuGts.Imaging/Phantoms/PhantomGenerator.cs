namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Procedural abdominal and thoracic CT phantoms with organ labels and lesion ground truth, deterministic by seed:
/// the same <see cref="PhantomOptions"/> give the same voxels on every machine (own RNG, own transcendental functions,
/// order-independent noise). See docs/phantoms.md.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>Version of the generator's output. Bump it whenever a change alters any voxel for some seed; the sample
    /// study in dicom-samples records the version that made it.</summary>
    public const string Version = "1";

    /// <exception cref="ArgumentException">The options are out of range.</exception>
    /// <exception cref="InvalidOperationException">A lesion does not fit in its organ within this field of view.</exception>
    public static Phantom Generate(PhantomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new PhantomBuilder(options).Build();
    }
}
