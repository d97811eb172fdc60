namespace DiffuGts.Imaging.Volumes;

/// <summary>
/// Where a voxel grid sits in patient space, in DICOM's LPS frame (PS3.3 C.7.6.2.1.1): +x to the patient's left,
/// +y posterior, +z superior. Voxel (i, j, k) is at <c>Origin + i·Sx·Dir[:,0] + j·Sy·Dir[:,1] + k·Sz·Dir[:,2]</c>, so
/// column 0 of <see cref="Direction"/> is DICOM's row direction (Image Orientation (Patient) values 1–3), column 1 the
/// column direction (values 4–6) and column 2 the slice normal along increasing k. Millimetres throughout.
/// </summary>
public sealed record VolumeGeometry
{
    public VolumeGeometry(int sizeX, int sizeY, int sizeZ, Vector3D origin, Vector3D spacing, Matrix3D direction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeX);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeY);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeZ);
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "voxel spacing must be positive");
        }

        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        Origin = origin;
        Spacing = spacing;
        Direction = direction;
    }

    /// <summary>Columns (i, fastest in memory).</summary>
    public int SizeX { get; }

    /// <summary>Rows (j).</summary>
    public int SizeY { get; }

    /// <summary>Slices (k, slowest in memory).</summary>
    public int SizeZ { get; }

    /// <summary>Patient position (LPS, mm) of the centre of voxel (0, 0, 0).</summary>
    public Vector3D Origin { get; }

    /// <summary>Distance between voxel centres along i, j, k (mm).</summary>
    public Vector3D Spacing { get; }

    /// <summary>Unit direction cosines of the i, j, k axes as columns.</summary>
    public Matrix3D Direction { get; }

    public long VoxelCount => (long)SizeX * SizeY * SizeZ;

    /// <summary>Axial grid with identity directions (rows along +x, columns along +y, slices along +z).</summary>
    public static VolumeGeometry Axial(int sizeX, int sizeY, int sizeZ, Vector3D spacing, Vector3D origin = default) =>
        new(sizeX, sizeY, sizeZ, origin, spacing, Matrix3D.Identity);

    /// <summary>Patient position (LPS, mm) of the centre of voxel (i, j, k); fractional indices allowed.</summary>
    public Vector3D IndexToPatient(double i, double j, double k) =>
        Origin + Direction.Column(0) * (i * Spacing.X) + Direction.Column(1) * (j * Spacing.Y) + Direction.Column(2) * (k * Spacing.Z);

    /// <summary>Continuous voxel index of a patient position (the inverse of <see cref="IndexToPatient"/>).</summary>
    public Vector3D PatientToIndex(Vector3D p)
    {
        var d = p - Origin;
        // Direction is orthonormal for every grid we build (checked where volumes are made), so its inverse is its transpose.
        return new Vector3D(
            Vector3D.Dot(Direction.Column(0), d) / Spacing.X,
            Vector3D.Dot(Direction.Column(1), d) / Spacing.Y,
            Vector3D.Dot(Direction.Column(2), d) / Spacing.Z);
    }

    /// <summary>
    /// A grid over the same field of view (the voxels' outer faces) with another spacing: same direction, size per axis
    /// round(n·s / s′) (at least 1), origin moved so the first voxel's outer face stays put. Used to resample to a model's
    /// isotropic grid and back.
    /// </summary>
    public VolumeGeometry WithSpacing(Vector3D spacing)
    {
        static int Count(int n, double s, double t) => Math.Max(1, (int)Math.Round(n * s / t));
        var nx = Count(SizeX, Spacing.X, spacing.X);
        var ny = Count(SizeY, Spacing.Y, spacing.Y);
        var nz = Count(SizeZ, Spacing.Z, spacing.Z);
        var corner = IndexToPatient(-0.5, -0.5, -0.5);
        var origin = corner + Direction.C0 * (0.5 * spacing.X) + Direction.C1 * (0.5 * spacing.Y) + Direction.C2 * (0.5 * spacing.Z);
        return new VolumeGeometry(nx, ny, nz, origin, spacing, Direction);
    }

    /// <summary>The same grid with other sizes (a crop or pad at the far ends; origin unchanged).</summary>
    public VolumeGeometry WithSize(int sizeX, int sizeY, int sizeZ) => new(sizeX, sizeY, sizeZ, Origin, Spacing, Direction);

    public bool SameGridAs(VolumeGeometry other, double toleranceMm = 1e-3) =>
        SizeX == other.SizeX && SizeY == other.SizeY && SizeZ == other.SizeZ &&
        (Origin - other.Origin).Length <= toleranceMm &&
        (Spacing - other.Spacing).Length <= toleranceMm &&
        Direction.MaxAbsDifference(other.Direction) <= 1e-6;
}
