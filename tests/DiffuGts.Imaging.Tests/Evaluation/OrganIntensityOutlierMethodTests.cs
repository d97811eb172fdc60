using DiffuGts.Imaging.Evaluation;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class OrganIntensityOutlierMethodTests
{
    private static readonly OrganIntensityOutlierOptions Sharp = new() { SmoothingSigmaMm = 0, ZThreshold = 3, MinLesionVolumeMm3 = 20 };

    [Fact]
    public async Task SegmentAsync_TargetOrganGiven_IgnoresOutliersInOtherOrgans()
    {
        var (image, organs, truth) = TwoOrgansWithABrightSpotInOrganTwo();
        var everyOrgan = await Segment(image, organs, truth, []);
        var liverOnly = await Segment(image, organs, truth, [1]);

        Assert.True(everyOrgan.Mask.Data.Count(v => v) >= 5, "every organ: the spot in organ 2 is an outlier");
        Assert.DoesNotContain(true, liverOnly.Mask.Data);
        Assert.Equal(0f, liverOnly.Score[20, 12, 6]); // outside the target organ the score is 0
    }

    [Fact]
    public void SmoothWithinOrgans_OrganBorder_DoesNotBorrowTheNeighboursHu()
    {
        var g = VolumeGeometry.Axial(10, 4, 4, new Vector3D(1, 1, 1));
        var image = new Volume<float>(g);
        var organs = new Volume<int>(g);
        for (var n = 0; n < image.Data.Length; n++)
        {
            var left = n % 10 < 5;
            image.Data[n] = left ? 40f : 200f;
            organs.Data[n] = left ? 1 : 2;
        }

        var smoothed = OrganIntensityOutlierMethod.SmoothWithinOrgans(image, organs, 3.0);

        Assert.Equal(40f, smoothed[4, 1, 1], 3); // last voxel of organ 1, next to 200 HU: a plain blur would give ≈ 120
        Assert.Equal(200f, smoothed[5, 1, 1], 3);
    }

    private static async Task<SegmentationOutput> Segment(Volume<float> image, Volume<int> organs, Volume<bool> truth, int[] target)
    {
        var evaluationCase = new EvaluationCase("c", "image.nii.gz", "lesion.nii.gz", [], "organs.nii.gz", null, "liver", "none", "seen", "liver tumour")
        {
            TargetOrganLabelValues = target,
        };
        return await new OrganIntensityOutlierMethod(Sharp).SegmentAsync(new EvaluationCaseInput(evaluationCase, image, truth, organs), 0, CancellationToken.None);
    }

    private static (Volume<float> Image, Volume<int> Organs, Volume<bool> Truth) TwoOrgansWithABrightSpotInOrganTwo()
    {
        var (hu, _, labels) = TinyDataset.Make(5, withLesion: false);
        var image = hu.Map(v => (float)v);
        var organs = labels.Map(v => (int)v);
        for (var k = 5; k <= 7; k++)
        {
            for (var j = 11; j <= 13; j++)
            {
                for (var i = 20; i <= 20; i++)
                {
                    if (organs[i, j, k] == 2)
                    {
                        image[i, j, k] = 400f;
                    }
                }
            }
        }

        return (image, organs, new Volume<bool>(image.Geometry));
    }
}
