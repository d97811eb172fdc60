using DiffuGts.Imaging.Phantoms;

namespace DiffuGts.Imaging.Tests.Phantoms;

/// <summary>Phantoms shared by the tests of this folder (each takes about a second to build, so build each once).</summary>
internal static class PhantomFixtures
{
    private static readonly Lazy<Phantom> AbdomenLazy = new(() => PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = 42, SizeX = 96, SizeY = 96, SizeZ = 48,
        Lesions =
        [
            new(PhantomLabel.Liver, LesionKind.Hypodense), new(PhantomLabel.Liver, LesionKind.Hyperdense),
            new(PhantomLabel.Liver, LesionKind.RimEnhancing), new(PhantomLabel.Liver, LesionKind.Cystic),
            new(PhantomLabel.Liver, LesionKind.Infiltrative), new(PhantomLabel.Spleen, LesionKind.Hypodense),
            new(PhantomLabel.KidneyCortex, LesionKind.Cystic),
        ],
    }));

    private static readonly Lazy<Phantom> ThoraxLazy = new(() => PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = 9, SizeX = 96, SizeY = 96, SizeZ = 48, Region = PhantomRegion.Thorax,
        Lesions = [new(PhantomLabel.Lung, LesionKind.Hyperdense)],
    }));

    /// <summary>Seed 42, 96×96×48 abdomen (4 mm voxels) with one liver lesion of each kind, a spleen and a kidney lesion.</summary>
    public static Phantom Abdomen => AbdomenLazy.Value;

    /// <summary>Seed 9, 96×96×48 thorax with a solid lung nodule.</summary>
    public static Phantom Thorax => ThoraxLazy.Value;

    public static Phantom Small(ulong seed, params LesionRequest[] lesions) => PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = seed, SizeX = 48, SizeY = 48, SizeZ = 24, Lesions = lesions,
    });
}
