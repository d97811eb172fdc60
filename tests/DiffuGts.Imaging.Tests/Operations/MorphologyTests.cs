using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Operations;

public sealed class MorphologyTests
{
    private static Volume<byte> Empty(int n = 11) => new(VolumeGeometry.Axial(n, n, n, new Vector3D(1, 1, 1)));

    [Fact]
    public void Dilate_SingleVoxelBallRadius1_GivesSixNeighboursPlusCentre()
    {
        var mask = Empty();
        mask[5, 5, 5] = 1;

        Assert.Equal(7, Morphology.Dilate(mask, StructuringElement.Ball(1)).Data.Sum(v => v));
        Assert.Equal(27, Morphology.Dilate(mask, StructuringElement.Box(1)).Data.Sum(v => v));
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public void DilateErode_RandomMask_MatchesBruteForceDefinition(bool ball, int radius)
    {
        var mask = Empty(14);
        var random = new Random(radius);
        for (var n = 0; n < mask.Data.Length; n++)
        {
            mask.Data[n] = random.NextDouble() < 0.15 ? (byte)1 : (byte)0;
        }

        ConnectedComponentsTests.Box(mask, 3, 3, 3, 10, 10, 10);
        var element = ball ? StructuringElement.Ball(radius) : StructuringElement.Box(radius);

        Assert.Equal(BruteForce(mask, radius, ball, dilate: true), Morphology.Dilate(mask, element).Data);
        Assert.Equal(BruteForce(mask, radius, ball, dilate: false), Morphology.Erode(mask, element).Data);
    }

    [Fact]
    public void Erode_CubeTouchingBorder_ShrinksFromBorderToo()
    {
        var mask = Empty(5);
        Array.Fill(mask.Data, (byte)1);

        var eroded = Morphology.Erode(mask, StructuringElement.Box(1));

        Assert.Equal(27, eroded.Data.Sum(v => v));
        Assert.Equal(1, eroded[2, 2, 2]);
        Assert.Equal(0, eroded[0, 2, 2]);
    }

    [Fact]
    public void Open_RemovesSpeckKeepsCube_Close_FillsHole()
    {
        var mask = Empty();
        ConnectedComponentsTests.Box(mask, 2, 2, 2, 6, 6, 6);
        mask[9, 9, 9] = 1;

        var opened = Morphology.Open(mask, StructuringElement.Box(1));
        Assert.Equal(0, opened[9, 9, 9]);
        Assert.Equal(125, opened.Data.Sum(v => v));

        mask[4, 4, 4] = 0;
        var closed = Morphology.Close(mask, StructuringElement.Ball(1));
        Assert.Equal(1, closed[4, 4, 4]);
    }

    [Fact]
    public void BallMillimetres_AnisotropicSpacing_ScalesRadiusPerAxis()
    {
        var element = StructuringElement.BallMillimetres(5, new Vector3D(0.5, 1, 2.5));

        Assert.Equal((10, 5, 2), (element.RadiusX, element.RadiusY, element.RadiusZ));
    }

    private static byte[] BruteForce(Volume<byte> mask, int r, bool ball, bool dilate)
    {
        var g = mask.Geometry;
        var result = new byte[mask.Data.Length];
        for (var z = 0; z < g.SizeZ; z++)
        {
            for (var y = 0; y < g.SizeY; y++)
            {
                for (var x = 0; x < g.SizeX; x++)
                {
                    var any = false;
                    var all = true;
                    for (var dz = -r; dz <= r; dz++)
                    {
                        for (var dy = -r; dy <= r; dy++)
                        {
                            for (var dx = -r; dx <= r; dx++)
                            {
                                if (ball && dx * dx + dy * dy + dz * dz > r * r)
                                {
                                    continue;
                                }

                                int xx = x + dx, yy = y + dy, zz = z + dz;
                                var inside = xx >= 0 && yy >= 0 && zz >= 0 && xx < g.SizeX && yy < g.SizeY && zz < g.SizeZ;
                                var fg = inside && mask[xx, yy, zz] != 0;
                                any |= fg;
                                all &= fg;
                            }
                        }
                    }

                    result[mask.Index(x, y, z)] = (dilate ? any : all) ? (byte)1 : (byte)0;
                }
            }
        }

        return result;
    }
}
