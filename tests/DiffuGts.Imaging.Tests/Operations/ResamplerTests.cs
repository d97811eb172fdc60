using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Operations;

public sealed class ResamplerTests
{
    private static readonly Vector3D Gradient = new(0.5, -1.25, 2.0);

    /// <summary>f(p) = g·p + 7 in patient millimetres: trilinear interpolation reproduces a linear field exactly.</summary>
    private static float Field(Vector3D p) => (float)(Vector3D.Dot(Gradient, p) + 7);

    [Theory]
    [MemberData(nameof(GeometryNames))]
    public void Linear_LinearFieldOntoRotatedGrid_ReproducesFieldInside(string name)
    {
        var source = new Volume<float>(VolumeGeometry.Axial(40, 40, 40, new Vector3D(1, 1, 1), new Vector3D(-20, -20, -20)));
        Fill(source, Field);
        var target = new VolumeGeometry(9, 8, 7, new Vector3D(-3, 2, -4), new Vector3D(1.3, 0.7, 1.9), TestGeometries.Direction(name));

        var result = Resampler.Linear(source, target);

        for (var k = 0; k < 7; k++)
        {
            for (var j = 0; j < 8; j++)
            {
                for (var i = 0; i < 9; i++)
                {
                    var expected = Field(target.IndexToPatient(i, j, k));
                    Assert.True(Math.Abs(expected - result[i, j, k]) < 1e-3, $"({i},{j},{k}): {result[i, j, k]} != {expected}");
                }
            }
        }
    }

    [Fact]
    public void Linear_TargetOutsideSource_TakesOutsideValue()
    {
        var source = new Volume<float>(VolumeGeometry.Axial(4, 4, 4, new Vector3D(1, 1, 1)));
        Fill(source, _ => 5);
        var target = VolumeGeometry.Axial(4, 1, 1, new Vector3D(1, 1, 1), new Vector3D(2, 0, 0));

        var result = Resampler.Linear(source, target, outsideValue: -1000);

        // Target x = 2, 3 are inside; x = 4 is within half a voxel of the last centre (3) only at ≤ 3.5, so 4 and 5 are outside.
        Assert.Equal([5f, 5f, -1000f, -1000f], result.Data);
    }

    [Fact]
    public void Nearest_ReversedSliceGridOverSameVoxels_FlipsSlicesAndKeepsLabels()
    {
        var axial = new Volume<byte>(VolumeGeometry.Axial(3, 2, 4, new Vector3D(1, 1, 2)));
        for (var k = 0; k < 4; k++)
        {
            axial[1, 1, k] = (byte)(k + 1);
        }

        var reversed = new VolumeGeometry(3, 2, 4, axial.Geometry.IndexToPatient(0, 0, 3), new Vector3D(1, 1, 2),
            new Matrix3D(new(1, 0, 0), new(0, 1, 0), new(0, 0, -1)));

        var result = Resampler.Nearest(axial, reversed);

        Assert.Equal([4, 3, 2, 1], Enumerable.Range(0, 4).Select(k => (int)result[1, 1, k]));
        Assert.Equal(10, result.Data.Sum(v => v));
    }

    [Fact]
    public void Nearest_ToFinerGridAndBack_RestoresLabels()
    {
        var labels = new Volume<byte>(TestGeometries.Get("oblique", 10, 9, 8));
        var random = new Random(4);
        for (var n = 0; n < labels.Data.Length; n++)
        {
            labels.Data[n] = (byte)random.Next(0, 4);
        }

        var fine = labels.Geometry.WithSpacing(labels.Geometry.Spacing * 0.5);
        var back = Resampler.Nearest(Resampler.Nearest(labels, fine), labels.Geometry);

        Assert.Equal((20, 18, 16), (fine.SizeX, fine.SizeY, fine.SizeZ));
        Assert.Equal(labels.Data, back.Data);
    }

    [Fact]
    public void WithSpacing_HalfResolution_KeepsFieldOfView()
    {
        var g = TestGeometries.Get("coronal", 10, 8, 6);

        var coarse = g.WithSpacing(g.Spacing * 2);

        var corner = g.IndexToPatient(-0.5, -0.5, -0.5);
        Assert.Equal((5, 4, 3), (coarse.SizeX, coarse.SizeY, coarse.SizeZ));
        Assert.True((coarse.IndexToPatient(-0.5, -0.5, -0.5) - corner).Length < 1e-9);
        Assert.True((coarse.IndexToPatient(4.5, 3.5, 2.5) - g.IndexToPatient(9.5, 7.5, 5.5)).Length < 1e-9);
    }

    public static TheoryData<string> GeometryNames => TestGeometries.Names;

    private static void Fill(Volume<float> v, Func<Vector3D, float> f)
    {
        var g = v.Geometry;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    v[i, j, k] = f(g.IndexToPatient(i, j, k));
                }
            }
        }
    }
}
