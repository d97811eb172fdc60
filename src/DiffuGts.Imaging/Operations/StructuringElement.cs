using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// A symmetric 3D structuring element: a box or an (ellipsoidal) ball with radii in voxels per axis. A radius of 0 along
/// an axis makes the element flat along it.
/// </summary>
public sealed record StructuringElement
{
    private StructuringElement(int radiusX, int radiusY, int radiusZ, bool isBall)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radiusX);
        ArgumentOutOfRangeException.ThrowIfNegative(radiusY);
        ArgumentOutOfRangeException.ThrowIfNegative(radiusZ);
        (RadiusX, RadiusY, RadiusZ, IsBall) = (radiusX, radiusY, radiusZ, isBall);
    }

    public int RadiusX { get; }

    public int RadiusY { get; }

    public int RadiusZ { get; }

    public bool IsBall { get; }

    public static StructuringElement Box(int radius) => new(radius, radius, radius, false);

    public static StructuringElement Box(int radiusX, int radiusY, int radiusZ) => new(radiusX, radiusY, radiusZ, false);

    public static StructuringElement Ball(int radius) => new(radius, radius, radius, true);

    public static StructuringElement Ball(int radiusX, int radiusY, int radiusZ) => new(radiusX, radiusY, radiusZ, true);

    /// <summary>A ball of a physical radius on an anisotropic grid (radius per axis = round(mm / spacing)).</summary>
    public static StructuringElement BallMillimetres(double radiusMm, Vector3D spacing) => new(
        (int)Math.Round(radiusMm / spacing.X), (int)Math.Round(radiusMm / spacing.Y), (int)Math.Round(radiusMm / spacing.Z), true);

    /// <summary>
    /// The element as x half-widths per (dy, dz) row offset: voxel (dx, dy, dz) belongs to it when |dx| ≤ half-width.
    /// For a ball, (dx/rx)² + (dy/ry)² + (dz/rz)² ≤ 1 (a zero radius counts as "that coordinate must be 0").
    /// </summary>
    internal (int Dy, int Dz, int HalfWidth)[] Rows()
    {
        var rows = new List<(int, int, int)>();
        for (var dz = -RadiusZ; dz <= RadiusZ; dz++)
        {
            for (var dy = -RadiusY; dy <= RadiusY; dy++)
            {
                if (!IsBall)
                {
                    rows.Add((dy, dz, RadiusX));
                    continue;
                }

                var r2 = 1.0 - Ratio2(dy, RadiusY) - Ratio2(dz, RadiusZ);
                if (r2 < -1e-9)
                {
                    continue;
                }

                rows.Add((dy, dz, (int)Math.Floor(RadiusX * Math.Sqrt(Math.Max(0, r2)) + 1e-9)));
            }
        }

        return [.. rows];
    }

    private static double Ratio2(int d, int r) => r == 0 ? (d == 0 ? 0 : double.PositiveInfinity) : (double)d * d / ((double)r * r);
}
