namespace DiffuGts.Imaging.Volumes;

/// <summary>A 3×3 matrix stored by columns; for volumes, the columns are the i, j, k direction cosines.</summary>
public readonly record struct Matrix3D(Vector3D C0, Vector3D C1, Vector3D C2)
{
    public static Matrix3D Identity { get; } = new(new(1, 0, 0), new(0, 1, 0), new(0, 0, 1));

    public Vector3D Column(int index) => index switch
    {
        0 => C0,
        1 => C1,
        2 => C2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>From DICOM Image Orientation (Patient): row cosines, column cosines; the third column is their cross product.</summary>
    public static Matrix3D FromRowColumn(Vector3D row, Vector3D column) => new(row, column, Vector3D.Cross(row, column));

    public double MaxAbsDifference(Matrix3D other)
    {
        double m = 0;
        for (var c = 0; c < 3; c++)
        {
            var d = Column(c) - other.Column(c);
            m = Math.Max(m, Math.Max(Math.Abs(d.X), Math.Max(Math.Abs(d.Y), Math.Abs(d.Z))));
        }

        return m;
    }
}
