using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// Converts between our LPS <see cref="VolumeGeometry"/> and NIfTI-1's RAS voxel-to-world transforms (nifti1.h, "3D IMAGE
/// (VOLUME) ORIENTATION AND LOCATION IN SPACE"). NIfTI world x grows to the Right and y to the Anterior, DICOM's to the
/// Left and Posterior, so both are negated: world_RAS = diag(−1, −1, 1)·world_LPS.
/// </summary>
internal static class NiftiTransform
{
    private const double OrthogonalityTolerance = 1e-3;

    /// <summary>LPS ↔ RAS (its own inverse).</summary>
    public static Vector3D FlipXY(Vector3D v) => new(-v.X, -v.Y, v.Z);

    /// <summary>The RAS rotation R (columns = unit axes of i, j, k) and offset of a geometry.</summary>
    public static (Matrix3D Rotation, Vector3D Offset) ToRas(VolumeGeometry g) =>
        (new Matrix3D(FlipXY(g.Direction.C0), FlipXY(g.Direction.C1), FlipXY(g.Direction.C2)), FlipXY(g.Origin));

    /// <summary>
    /// Quaternion (b, c, d) and qfac of a rotation with determinant ±1 (method 2 of nifti1.h). A left-handed R gets
    /// qfac = −1 and its third column negated first, as the header's pixdim[0] then restores it.
    /// </summary>
    public static (double B, double C, double D, double Qfac) ToQuaternion(Matrix3D r)
    {
        var qfac = Determinant(r) < 0 ? -1.0 : 1.0;
        var c2 = r.C2 * qfac;
        double r11 = r.C0.X, r12 = r.C1.X, r13 = c2.X;
        double r21 = r.C0.Y, r22 = r.C1.Y, r23 = c2.Y;
        double r31 = r.C0.Z, r32 = r.C1.Z, r33 = c2.Z;
        double a, b, c, d;
        var trace = r11 + r22 + r33 + 1.0;
        if (trace > 0.5)
        {
            a = 0.5 * Math.Sqrt(trace);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        }
        else
        {
            double xd = 1.0 + r11 - (r22 + r33), yd = 1.0 + r22 - (r11 + r33), zd = 1.0 + r33 - (r11 + r22);
            if (xd > 1.0)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            }
            else if (yd > 1.0)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }

            if (a < 0)
            {
                (b, c, d) = (-b, -c, -d);
            }
        }

        return (b, c, d, qfac);
    }

    /// <summary>The rotation encoded by a NIfTI quaternion (a is implied: a = √(1 − b² − c² − d²)), with qfac applied to k.</summary>
    public static Matrix3D FromQuaternion(double b, double c, double d, double qfac)
    {
        var aa = 1.0 - (b * b + c * c + d * d);
        double a;
        if (aa < 1e-7)
        {
            // nifti1.h: a 180° rotation; renormalise (b, c, d) and take a = 0.
            var n = Math.Sqrt(b * b + c * c + d * d);
            (b, c, d, a) = (b / n, c / n, d / n, 0);
        }
        else
        {
            a = Math.Sqrt(aa);
        }

        var c0 = new Vector3D(a * a + b * b - c * c - d * d, 2 * (b * c + a * d), 2 * (b * d - a * c));
        var c1 = new Vector3D(2 * (b * c - a * d), a * a + c * c - b * b - d * d, 2 * (c * d + a * b));
        var c2 = new Vector3D(2 * (b * d + a * c), 2 * (c * d - a * b), a * a + d * d - c * c - b * b);
        return new Matrix3D(c0, c1, c2 * (qfac < 0 ? -1.0 : 1.0));
    }

    /// <summary>
    /// A geometry from a RAS affine whose columns are the i, j, k steps (mm) and whose offset is voxel 0's centre. The
    /// columns must be orthogonal (no shear): <see cref="VolumeGeometry"/> has no place for shear.
    /// </summary>
    public static VolumeGeometry ToGeometry(int nx, int ny, int nz, Vector3D rasStepI, Vector3D rasStepJ, Vector3D rasStepK, Vector3D rasOffset)
    {
        var spacing = new Vector3D(rasStepI.Length, rasStepJ.Length, rasStepK.Length);
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0))
        {
            throw new InvalidDataException($"NIfTI affine has a zero-length axis (spacing {spacing})");
        }

        var u = FlipXY(rasStepI).Normalized();
        var v = FlipXY(rasStepJ).Normalized();
        var w = FlipXY(rasStepK).Normalized();
        var shear = Math.Max(Math.Abs(Vector3D.Dot(u, v)), Math.Max(Math.Abs(Vector3D.Dot(u, w)), Math.Abs(Vector3D.Dot(v, w))));
        if (shear > OrthogonalityTolerance)
        {
            throw new InvalidDataException($"NIfTI affine axes are not orthogonal (largest |cos| = {shear:G3}); sheared grids are not supported");
        }

        return new VolumeGeometry(nx, ny, nz, FlipXY(rasOffset), spacing, new Matrix3D(u, v, w));
    }

    private static double Determinant(Matrix3D m) => Vector3D.Dot(m.C0, Vector3D.Cross(m.C1, m.C2));
}
