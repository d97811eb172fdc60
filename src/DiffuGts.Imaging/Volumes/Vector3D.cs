namespace DiffuGts.Imaging.Volumes;

/// <summary>A 3-vector in double precision (patient coordinates in mm, or continuous voxel indices).</summary>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    public Vector3D Normalized()
    {
        var l = Length;
        return l == 0 ? this : new Vector3D(X / l, Y / l, Z / l);
    }

    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vector3D operator *(Vector3D a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public static Vector3D operator -(Vector3D a) => new(-a.X, -a.Y, -a.Z);

    public static double Dot(Vector3D a, Vector3D b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    public static Vector3D Cross(Vector3D a, Vector3D b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    public static Vector3D Add(Vector3D a, Vector3D b) => a + b;

    public static Vector3D Subtract(Vector3D a, Vector3D b) => a - b;

    public static Vector3D Multiply(Vector3D a, double s) => a * s;

    public static Vector3D Negate(Vector3D a) => -a;
}
