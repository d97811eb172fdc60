using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// An ellipsoid with semi-axes along three orthonormal local axes. <see cref="Distance"/> is Quilez's first-order bound
/// k₀(k₀ − 1)/k₁ with k₀ = |q/r|, k₁ = |q/r²|: exact on the axes and close to the Euclidean distance near the surface,
/// which is where layers (kidney cortex, a rim) are measured.
/// </summary>
internal readonly record struct OrientedEllipsoid(Vector3D Centre, Vector3D Radii, Matrix3D Axes)
{
    public static OrientedEllipsoid Create(Vector3D centre, Vector3D radii, double yawRad = 0, double pitchRad = 0, double rollRad = 0) =>
        new(centre, radii, Rotation(yawRad, pitchRad, rollRad));

    /// <summary>Rotation R = Rz(yaw)·Ry(pitch)·Rx(roll), columns = local axes in patient space.</summary>
    public static Matrix3D Rotation(double yaw, double pitch, double roll)
    {
        double cy = DeterministicMath.Cos(yaw), sy = DeterministicMath.Sin(yaw);
        double cp = DeterministicMath.Cos(pitch), sp = DeterministicMath.Sin(pitch);
        double cr = DeterministicMath.Cos(roll), sr = DeterministicMath.Sin(roll);
        var c0 = new Vector3D(cy * cp, sy * cp, -sp);
        var c1 = new Vector3D(cy * sp * sr - sy * cr, sy * sp * sr + cy * cr, cp * sr);
        var c2 = new Vector3D(cy * sp * cr + sy * sr, sy * sp * cr - cy * sr, cp * cr);
        return new Matrix3D(c0, c1, c2);
    }

    /// <summary>Point in the local frame (mm, not normalised).</summary>
    public Vector3D Local(double x, double y, double z)
    {
        var d = new Vector3D(x - Centre.X, y - Centre.Y, z - Centre.Z);
        return new Vector3D(Vector3D.Dot(Axes.C0, d), Vector3D.Dot(Axes.C1, d), Vector3D.Dot(Axes.C2, d));
    }

    /// <summary>Approximate signed distance in mm (negative inside).</summary>
    public double Distance(double x, double y, double z)
    {
        var q = Local(x, y, z);
        double ax = q.X / Radii.X, ay = q.Y / Radii.Y, az = q.Z / Radii.Z;
        var k0 = Math.Sqrt(ax * ax + ay * ay + az * az);
        double bx = ax / Radii.X, by = ay / Radii.Y, bz = az / Radii.Z;
        var k1 = Math.Sqrt(bx * bx + by * by + bz * bz);
        return k1 < 1e-12 ? -Math.Min(Radii.X, Math.Min(Radii.Y, Radii.Z)) : k0 * (k0 - 1) / k1;
    }

    public Bounds Bounds(double margin = 0) => Phantoms.Bounds.Around(Centre, Math.Max(Radii.X, Math.Max(Radii.Y, Radii.Z)) + margin);
}
