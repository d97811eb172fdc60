using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Operations;

public sealed class GaussianSmoothingTests
{
    [Fact]
    public void Smooth_Impulse_PreservesMassAndHasVarianceSigmaSquaredPerAxis()
    {
        var v = new Volume<float>(VolumeGeometry.Axial(31, 31, 31, new Vector3D(1, 2, 0.5)));
        v[15, 15, 15] = 1000;

        var s = GaussianSmoothing.Smooth(v, sigmaMm: 2.0);

        Assert.Equal(1000, s.Data.Sum(), 1);
        // σ = 2, 1 and 4 voxels along x, y, z (spacing 1, 2, 0.5 mm); truncating the kernel at 3σ trims ~3% of the variance.
        Assert.InRange(Variance(s, axis: 0), 0.95 * 4, 4.0);
        Assert.InRange(Variance(s, axis: 1), 0.95 * 1, 1.0);
        Assert.InRange(Variance(s, axis: 2), 0.95 * 16, 16.0);
        Assert.True(s[15, 15, 15] < 1000 && s[15, 15, 15] > 0);
    }

    [Fact]
    public void Smooth_Constant_StaysConstantToTheEdges()
    {
        var v = new Volume<float>(VolumeGeometry.Axial(8, 7, 6, new Vector3D(1, 1, 1)));
        Array.Fill(v.Data, 42f);

        var s = GaussianSmoothing.Smooth(v, 1.5);

        Assert.All(s.Data, x => Assert.Equal(42f, x, 3));
    }

    private static double Variance(Volume<float> v, int axis)
    {
        double mass = 0, m2 = 0;
        var g = v.Geometry;
        for (var k = 0; k < g.SizeZ; k++)
        {
            for (var j = 0; j < g.SizeY; j++)
            {
                for (var i = 0; i < g.SizeX; i++)
                {
                    var d = (axis == 0 ? i : axis == 1 ? j : k) - 15;
                    mass += v[i, j, k];
                    m2 += v[i, j, k] * d * d;
                }
            }
        }

        return m2 / mass;
    }
}
