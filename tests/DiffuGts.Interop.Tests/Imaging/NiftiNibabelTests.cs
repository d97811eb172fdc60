using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Imaging;

/// <summary>nibabel (Debian python3-nibabel) as an independent NIfTI reader and writer.</summary>
public sealed class NiftiNibabelTests
{
    private const string LoadScript = """
        import json, sys
        import nibabel as nib, numpy as np
        img = nib.load(sys.argv[1])
        h = img.header
        data = np.asanyarray(img.dataobj)
        real = img.get_fdata()
        probes = [[1, 2, 3], [0, 0, 0], [4, 1, 2]]
        print(json.dumps({
            "affine": img.affine.flatten().tolist(),
            "qform": h.get_qform().flatten().tolist(), "qcode": int(h["qform_code"]),
            "sform": h.get_sform().flatten().tolist(), "scode": int(h["sform_code"]),
            "shape": list(data.shape), "dtype": str(h.get_data_dtype()),
            "real": [float(real[i, j, k]) for i, j, k in probes],
            "sum": float(real.sum()),
        }))
        """;

    // Row cosines, column cosines (DICOM Image Orientation (Patient)) and whether slices run against row × column:
    // axial, coronal, sagittal, axial with reversed slices, oblique.
    private static readonly (double Rx, double Ry, double Rz, double Cx, double Cy, double Cz, bool Reversed)[] Orientations =
    [
        (1, 0, 0, 0, 1, 0, false),
        (1, 0, 0, 0, 0, -1, false),
        (0, 1, 0, 0, 0, -1, false),
        (1, 0, 0, 0, 1, 0, true),
        (0.9397, 0.3304, 0.0885, -0.3420, 0.9077, 0.2432, false),
    ];

    [PythonFact("nibabel", "numpy")]
    public void Write_NibabelLoads_AffineEqualsGeometryInRas()
    {
        foreach (var o in Orientations)
        {
            WriteAndCompare(o.Rx, o.Ry, o.Rz, o.Cx, o.Cy, o.Cz, o.Reversed);
        }
    }

    private static void WriteAndCompare(double rx, double ry, double rz, double cx, double cy, double cz, bool reversed)
    {
        var geometry = Geometry(rx, ry, rz, cx, cy, cz, reversed);
        var volume = new Volume<short>(geometry);
        for (var n = 0; n < volume.Data.Length; n++)
        {
            volume.Data[n] = (short)(n % 251 - 100);
        }

        using var dir = new TempDirectory();
        var path = dir.Combine("ours.nii.gz");
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { ScaleSlope = 2, ScaleIntercept = -1024 });

        var result = DebianPythonScript.Run(LoadScript, path);

        var expected = ExpectedRasAffine(geometry);
        AssertClose(geometry.Direction.ToString(), expected, DebianPythonScript.Doubles(result.GetProperty("affine")), 1e-3);
        AssertClose(geometry.Direction.ToString(), expected, DebianPythonScript.Doubles(result.GetProperty("qform")), 1e-3);
        AssertClose(geometry.Direction.ToString(), expected, DebianPythonScript.Doubles(result.GetProperty("sform")), 1e-3);
        Assert.Equal(1, result.GetProperty("qcode").GetInt32());
        Assert.Equal(1, result.GetProperty("scode").GetInt32());
        Assert.Equal([geometry.SizeX, geometry.SizeY, geometry.SizeZ], result.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("int16", result.GetProperty("dtype").GetString());
        var real = DebianPythonScript.Doubles(result.GetProperty("real"));
        Assert.Equal(volume[1, 2, 3] * 2.0 - 1024, real[0]);
        Assert.Equal(volume[0, 0, 0] * 2.0 - 1024, real[1]);
        Assert.Equal(volume[4, 1, 2] * 2.0 - 1024, real[2]);
        Assert.Equal(volume.Data.Sum(v => v * 2.0 - 1024), result.GetProperty("sum").GetDouble(), 6);
    }

    [PythonFact("nibabel", "numpy")]
    public void Read_NibabelWrittenObliqueInt16_GeometryAndScaledValuesMatch()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("nib.nii.gz");
        // An oblique, left-handed RAS affine with spacing (0.7, 1.1, 3.0), scaled int16 voxels v = i + 10 j + 100 k.
        const string script = """
            import json, sys
            import nibabel as nib, numpy as np
            c, s = np.cos(0.3), np.sin(0.3)
            rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, -1.0]])
            aff = np.eye(4)
            aff[:3, :3] = rot @ np.diag([0.7, 1.1, 3.0])
            aff[:3, 3] = [12.5, -40.0, 77.0]
            i, j, k = np.meshgrid(np.arange(9), np.arange(8), np.arange(6), indexing="ij")
            data = (i + 10 * j + 100 * k).astype(np.int16)
            img = nib.Nifti1Image(data, aff)
            img.header.set_slope_inter(0.5, 3.0)
            nib.save(img, sys.argv[1])
            print(json.dumps({"affine": aff.flatten().tolist()}))
            """;
        DebianPythonScript.Run(script, path);

        var image = NiftiReader.Read(path);

        var g = image.Geometry;
        Assert.Equal((9, 8, 6), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(0.7, g.Spacing.X, 5);
        Assert.Equal(1.1, g.Spacing.Y, 5);
        Assert.Equal(3.0, g.Spacing.Z, 5);
        // RAS (12.5, −40, 77) is LPS (−12.5, 40, 77); the RAS i axis (cos, sin, 0) is LPS (−cos, −sin, 0).
        Assert.True((g.Origin - new Vector3D(-12.5, 40, 77)).Length < 1e-4);
        Assert.True((g.Direction.C0 - new Vector3D(-Math.Cos(0.3), -Math.Sin(0.3), 0)).Length < 1e-5);
        Assert.True((g.Direction.C2 - new Vector3D(0, 0, -1)).Length < 1e-5);
        var real = image.ToFloatVolume();
        Assert.Equal((8 + 10 * 7 + 100 * 5) * 0.5f + 3f, real[8, 7, 5]);
        Assert.Equal((2 + 10 * 3 + 100 * 4) * 0.5f + 3f, real[2, 3, 4]);
        Assert.Equal(2 + 10 * 3 + 100 * 4, image.GetStoredVolume<short>()[2, 3, 4]);
    }

    private static VolumeGeometry Geometry(double rx, double ry, double rz, double cx, double cy, double cz, bool reversed)
    {
        var row = new Vector3D(rx, ry, rz).Normalized();
        var column = new Vector3D(cx, cy, cz);
        column = (column - row * Vector3D.Dot(row, column)).Normalized();
        var normal = Vector3D.Cross(row, column) * (reversed ? -1 : 1);
        return new VolumeGeometry(7, 6, 5, new Vector3D(-101.5, 22.25, -310), new Vector3D(0.75, 0.6, 2.0), new Matrix3D(row, column, normal));
    }

    /// <summary>
    /// The 4×4 RAS affine, row-major, computed from the patient positions of voxels (0,0,0), (1,0,0), (0,1,0), (0,0,1)
    /// and the LPS→RAS flip — independent of the writer's quaternion and sform code.
    /// </summary>
    private static double[] ExpectedRasAffine(VolumeGeometry g)
    {
        static Vector3D Ras(Vector3D v) => new(-v.X, -v.Y, v.Z);
        var o = g.IndexToPatient(0, 0, 0);
        var ci = Ras(g.IndexToPatient(1, 0, 0) - o);
        var cj = Ras(g.IndexToPatient(0, 1, 0) - o);
        var ck = Ras(g.IndexToPatient(0, 0, 1) - o);
        var t = Ras(o);
        return [ci.X, cj.X, ck.X, t.X, ci.Y, cj.Y, ck.Y, t.Y, ci.Z, cj.Z, ck.Z, t.Z, 0, 0, 0, 1];
    }

    private static void AssertClose(string name, double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var n = 0; n < expected.Length; n++)
        {
            Assert.True(Math.Abs(expected[n] - actual[n]) <= tolerance, $"{name}: element {n}: expected {expected[n]}, got {actual[n]}");
        }
    }
}
