using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>An axis-aligned box in patient mm (LPS); painting visits only the voxels whose centres lie inside it.</summary>
internal readonly record struct Bounds(Vector3D Min, Vector3D Max)
{
    public static Bounds Everywhere { get; } = new(new(-1e6, -1e6, -1e6), new(1e6, 1e6, 1e6));

    public static Bounds Around(Vector3D centre, double radius) =>
        new(centre - new Vector3D(radius, radius, radius), centre + new Vector3D(radius, radius, radius));

    public Bounds Union(Bounds other) => new(
        new(Math.Min(Min.X, other.Min.X), Math.Min(Min.Y, other.Min.Y), Math.Min(Min.Z, other.Min.Z)),
        new(Math.Max(Max.X, other.Max.X), Math.Max(Max.Y, other.Max.Y), Math.Max(Max.Z, other.Max.Z)));
}
