using DiffuGts.Imaging.Evaluation;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class SegmentationMetricsTests
{
    private static readonly Vector3D Iso = new(1, 1, 1);
    private static readonly Vector3D Aniso = new(0.7, 0.8, 2.5);

    [Fact]
    public void Dice_CubeShiftedThreeOfTen_IsSevenTenths()
    {
        var truth = Shapes.Box(20, Aniso, (4, 4, 4), (10, 10, 10));
        var prediction = Shapes.Box(20, Aniso, (7, 4, 4), (10, 10, 10));

        Assert.Equal(0.7, SegmentationMetrics.Dice(prediction, truth), 12);
    }

    [Fact]
    public void AllMetrics_BothEmpty_CountAsPerfect()
    {
        var empty = Shapes.Empty(8, Aniso);

        var surface = SegmentationMetrics.SurfaceDistances(empty, Shapes.Empty(8, Aniso));

        Assert.Equal(1.0, SegmentationMetrics.Dice(empty, empty));
        Assert.Equal(1.0, surface.Nsd);
        Assert.Equal(0.0, surface.Hd95Mm);
        var lesions = SegmentationMetrics.LesionDetection(empty, empty);
        Assert.Equal((0, 0, 0, 1.0), (lesions.TruePositives, lesions.FalsePositives, lesions.FalseNegatives, lesions.F1));
        Assert.Null(lesions.Recall);
        Assert.Null(lesions.Precision);
    }

    [Fact]
    public void SurfaceDistances_PredictionEmpty_ZeroNsdAndGridDiagonal()
    {
        var truth = Shapes.Box(8, Aniso, (2, 2, 2), (3, 3, 3));
        var expectedDiagonal = Math.Sqrt(Math.Pow(8 * 0.7, 2) + Math.Pow(8 * 0.8, 2) + Math.Pow(8 * 2.5, 2));

        var surface = SegmentationMetrics.SurfaceDistances(Shapes.Empty(8, Aniso), truth);

        Assert.Equal(0.0, SegmentationMetrics.Dice(Shapes.Empty(8, Aniso), truth));
        Assert.Equal(0.0, surface.Nsd);
        Assert.Equal(expectedDiagonal, surface.Hd95Mm, 9);
    }

    [Fact]
    public void SurfaceDistances_SingleVoxelsThreeSlicesApart_DistanceUsesSliceSpacing()
    {
        var truth = Shapes.Box(10, Aniso, (5, 5, 2), (1, 1, 1));
        var prediction = Shapes.Box(10, Aniso, (5, 5, 5), (1, 1, 1));

        var within = SegmentationMetrics.SurfaceDistances(prediction, truth, 7.5);
        var outside = SegmentationMetrics.SurfaceDistances(prediction, truth, 7.4);

        Assert.Equal(7.5, within.Hd95Mm, 9);
        Assert.Equal(7.5, within.HausdorffMm, 9);
        Assert.Equal(1.0, within.Nsd);
        Assert.Equal(0.0, outside.Nsd);
    }

    [Fact]
    public void SurfaceDistances_CubeShiftedTwoSlices_HausdorffIsTwoSliceSpacings()
    {
        var truth = Shapes.Box(16, Aniso, (4, 4, 3), (6, 6, 6));
        var prediction = Shapes.Box(16, Aniso, (4, 4, 5), (6, 6, 6));

        var surface = SegmentationMetrics.SurfaceDistances(prediction, truth, 1.0);

        Assert.Equal(5.0, surface.HausdorffMm, 9);
        Assert.InRange(surface.Nsd, 0.3, 0.9);
    }

    [Fact]
    public void SurfaceDistances_IdenticalSpheres_PerfectAgreement()
    {
        var sphere = Shapes.Sphere(24, Aniso, 12, 11, 12, 7);

        var surface = SegmentationMetrics.SurfaceDistances(sphere, Shapes.Sphere(24, Aniso, 12, 11, 12, 7));

        Assert.Equal(1.0, surface.Nsd);
        Assert.Equal(0.0, surface.Hd95Mm);
    }

    [Fact]
    public void SurfaceDistances_ConcentricSpheresFourMmApart_NsdSwitchesAroundTheGap()
    {
        var inner = Shapes.Sphere(32, Iso, 16, 16, 16, 8);
        var outer = Shapes.Sphere(32, Iso, 16, 16, 16, 12);

        var tight = SegmentationMetrics.SurfaceDistances(inner, outer, 2.0);
        var loose = SegmentationMetrics.SurfaceDistances(inner, outer, 6.5);

        // Boundary voxels sit at radius (7, 8] and (11, 12]: every distance lies in [3, 5.9].
        Assert.Equal(0.0, tight.Nsd);
        Assert.Equal(1.0, loose.Nsd);
        Assert.InRange(tight.Hd95Mm, 3.5, 5.0);
        Assert.Equal((8.0 * 8 * 8) / (12.0 * 12 * 12) * 2 / (1 + (8.0 * 8 * 8) / (12.0 * 12 * 12)),
            SegmentationMetrics.Dice(inner, outer), 1);
    }

    [Fact]
    public void SurfaceDistances_GridMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistances(Shapes.Empty(8, Iso), Shapes.Empty(9, Iso)));
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.Dice(Shapes.Empty(8, Iso), Shapes.Empty(8, Aniso)));
    }

    [Fact]
    public void LesionDetection_OneHitOneMissOneSpurious_CountsEachOnce()
    {
        var truth = Shapes.Box(20, Iso, (2, 2, 2), (3, 3, 3));
        Shapes.Fill(truth, (i, j, k) => i >= 12 && i < 15 && j >= 12 && j < 15 && k >= 12 && k < 15);
        var prediction = Shapes.Box(20, Iso, (3, 3, 3), (3, 3, 3));
        Shapes.Fill(prediction, (i, j, k) => i >= 12 && i < 15 && j >= 2 && j < 4 && k >= 2 && k < 4);

        var lesions = SegmentationMetrics.LesionDetection(prediction, truth);

        Assert.Equal((1, 1, 1), (lesions.TruePositives, lesions.FalsePositives, lesions.FalseNegatives));
        Assert.Equal(0.5, lesions.Recall);
        Assert.Equal(0.5, lesions.Precision);
        Assert.Equal(0.5, lesions.F1, 12);
    }

    [Fact]
    public void LesionDetection_CornerTouchingVoxels_OneLesionAt26TwoAt6()
    {
        var truth = Shapes.Box(6, Iso, (1, 1, 1), (1, 1, 1));
        truth[2, 2, 2] = true;

        Assert.Equal(1, SegmentationMetrics.LesionDetection(truth, truth).TruthLesions);
        Assert.Equal(2, SegmentationMetrics.LesionDetection(truth, truth, Connectivity.Faces6).TruthLesions);
    }

    [Fact]
    public void Ranking_TextbookExample_MatchesKnownAurocAndAveragePrecision()
    {
        // scikit-learn's documentation example: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → AUROC 0.75, AP 0.8333.
        var g = VolumeGeometry.Axial(4, 1, 1, Iso);
        var score = new Volume<float>(g, [0.1f, 0.4f, 0.35f, 0.8f]);
        var truth = new Volume<bool>(g, [false, false, true, true]);

        var ranking = SegmentationMetrics.Ranking(score, truth);

        Assert.Equal(0.75, ranking.Auroc!.Value, 12);
        Assert.Equal(5.0 / 6.0, ranking.Auprc!.Value, 12);
    }

    [Fact]
    public void Ranking_ConstantScore_IsChanceAndPrevalence()
    {
        var g = VolumeGeometry.Axial(5, 1, 1, Iso);
        var ranking = SegmentationMetrics.Ranking(new Volume<float>(g), new Volume<bool>(g, [true, false, false, false, false]));

        Assert.Equal(0.5, ranking.Auroc);
        Assert.Equal(0.2, ranking.Auprc!.Value, 12);
    }

    [Fact]
    public void Ranking_EmptyTruth_IsUndefined()
    {
        var g = VolumeGeometry.Axial(3, 1, 1, Iso);
        var ranking = SegmentationMetrics.Ranking(new Volume<float>(g, [1, 2, 3]), new Volume<bool>(g));

        Assert.Null(ranking.Auroc);
        Assert.Null(ranking.Auprc);
    }

    [Fact]
    public void Ranking_NaNScore_Throws()
    {
        var g = VolumeGeometry.Axial(2, 1, 1, Iso);
        Assert.Throws<ArgumentException>(() =>
            SegmentationMetrics.Ranking(new Volume<float>(g, [float.NaN, 1]), new Volume<bool>(g, [true, false])));
    }
}
