using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Operations;

public sealed class ConnectedComponentsTests
{
    [Fact]
    public void Label_DiagonalNeighbours_SeparateUnder6JoinedUnder26()
    {
        var mask = new Volume<byte>(VolumeGeometry.Axial(5, 5, 5, new Vector3D(1, 1, 1)));
        mask[1, 1, 1] = 1;
        mask[2, 2, 2] = 1;
        mask[3, 3, 2] = 1;

        var six = ConnectedComponents.Label(mask, Connectivity.Faces6);
        var full = ConnectedComponents.Label(mask, Connectivity.Full26);

        Assert.Equal(3, six.Count);
        Assert.Equal(1, full.Count);
        Assert.Equal(3, full.SizeOf(1));
    }

    [Fact]
    public void Label_TwoBlobs_ReportsSizesAndLargest()
    {
        var mask = new Volume<byte>(VolumeGeometry.Axial(20, 20, 10, new Vector3D(1, 1, 1)));
        Box(mask, 1, 1, 1, 3, 3, 3);     // 27 voxels, found first
        Box(mask, 10, 10, 2, 14, 13, 6); // 5·4·5 = 100 voxels
        mask[19, 19, 9] = 1;             // 1 voxel in a corner

        var result = ConnectedComponents.Label(mask, Connectivity.Faces6);

        Assert.Equal([27L, 100L, 1L], result.Sizes);
        Assert.Equal(2, result.Largest);
        Assert.Equal(2, result.Labels[12, 11, 4]);
        Assert.Equal(0, result.Labels[0, 0, 0]);
        var kept = result.MaskOfComponentsAtLeast(10);
        Assert.Equal(127, kept.Data.Sum(v => v));
        Assert.Equal(0, kept[19, 19, 9]);
    }

    [Fact]
    public void Label_SnakeLongerThanInitialStack_LabelsOneComponent()
    {
        var mask = new Volume<byte>(VolumeGeometry.Axial(64, 64, 4, new Vector3D(1, 1, 1)));
        Array.Fill(mask.Data, (byte)1);

        var result = ConnectedComponents.Label(mask, Connectivity.Full26);

        Assert.Equal(1, result.Count);
        Assert.Equal(64L * 64 * 4, result.SizeOf(1));
    }

    [Fact]
    public void Label_EmptyMask_HasNoComponents()
    {
        var result = ConnectedComponents.Label(new Volume<byte>(VolumeGeometry.Axial(4, 4, 4, new Vector3D(1, 1, 1))));

        Assert.Equal(0, result.Count);
        Assert.Equal(0, result.Largest);
    }

    internal static void Box(Volume<byte> v, int x0, int y0, int z0, int x1, int y1, int z1)
    {
        for (var z = z0; z <= z1; z++)
        {
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    v[x, y, z] = 1;
                }
            }
        }
    }
}
