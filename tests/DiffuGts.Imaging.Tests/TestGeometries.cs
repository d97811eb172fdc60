using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests;

/// <summary>Acquisition geometries every geometry test runs over: the three planes, reversed slices and an oblique stack.</summary>
internal static class TestGeometries
{
    public static readonly Vector3D Spacing = new(0.8, 0.9, 2.5);
    public static readonly Vector3D Origin = new(-120.25, -97.5, 33.75);

    public static TheoryData<string> Names => new() { "axial", "coronal", "sagittal", "reversed", "oblique" };

    public static VolumeGeometry Get(string name, int nx = 7, int ny = 6, int nz = 5) =>
        new(nx, ny, nz, Origin, Spacing, Direction(name));

    public static Matrix3D Direction(string name) => name switch
    {
        "axial" => Matrix3D.Identity,
        // Coronal: rows to patient left, columns to feet; slices then run posterior (row × column).
        "coronal" => Matrix3D.FromRowColumn(new(1, 0, 0), new(0, 0, -1)),
        // Sagittal: rows posterior, columns to feet; slices run to the right.
        "sagittal" => Matrix3D.FromRowColumn(new(0, 1, 0), new(0, 0, -1)),
        // Axial stored head-to-feet: the slice axis opposes row × column (a left-handed grid).
        "reversed" => new Matrix3D(new(1, 0, 0), new(0, 1, 0), new(0, 0, -1)),
        "oblique" => Oblique(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Axial rotated 20° about the patient's z axis, then 15° about x.</summary>
    private static Matrix3D Oblique()
    {
        var a = 20 * Math.PI / 180;
        var b = 15 * Math.PI / 180;
        Vector3D RotZ(Vector3D v) => new(v.X * Math.Cos(a) - v.Y * Math.Sin(a), v.X * Math.Sin(a) + v.Y * Math.Cos(a), v.Z);
        Vector3D RotX(Vector3D v) => new(v.X, v.Y * Math.Cos(b) - v.Z * Math.Sin(b), v.Y * Math.Sin(b) + v.Z * Math.Cos(b));
        return Matrix3D.FromRowColumn(RotX(RotZ(new(1, 0, 0))), RotX(RotZ(new(0, 1, 0))));
    }
}
