using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>A generated CT phantom: the image in HU (integers, clamped to −1024…3071), the organ label map
/// (<see cref="PhantomLabel"/> values) and the lesion mask (0, or the lesion's <see cref="PhantomLesion.MaskValue"/>),
/// all on one grid.</summary>
public sealed class Phantom
{
    internal Phantom(PhantomOptions options, Volume<float> hu, Volume<byte> labels, Volume<byte> lesionMask, IReadOnlyList<PhantomLesion> lesions)
    {
        Options = options;
        Hu = hu;
        Labels = labels;
        LesionMask = lesionMask;
        Lesions = lesions;
    }

    public PhantomOptions Options { get; }

    public Volume<float> Hu { get; }

    public Volume<byte> Labels { get; }

    public Volume<byte> LesionMask { get; }

    public IReadOnlyList<PhantomLesion> Lesions { get; }

    public VolumeGeometry Geometry => Hu.Geometry;
}
