using System.Globalization;
using System.Text.Json;
using DiffuGts.Imaging.Evaluation;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

/// <summary>
/// Cross-checks every metric against an independent implementation in Debian's Python (scipy.ndimage's exact EDT with
/// sampling, scipy.ndimage.label, scipy.stats.rankdata) on the same NIfTI files, read by nibabel.
/// </summary>
public sealed class ScipyCrossCheckTests
{
    private const string Script = """
        import json, sys
        import numpy as np, nibabel as nib
        from scipy import ndimage
        from scipy.stats import rankdata

        folder, tau = sys.argv[1], float(sys.argv[2])
        def load(name):
            img = nib.load(f"{folder}/{name}")
            return np.asarray(img.dataobj), tuple(float(z) for z in img.header.get_zooms()[:3]), img.affine
        pred, sp, affine = load("pred.nii.gz"); truth = load("truth.nii.gz")[0] > 0; pred = pred > 0
        score = load("score.nii.gz")[0].astype(np.float64); feature = load("feature.nii.gz")[0] > 0

        face = [sp[1] * sp[2], sp[0] * sp[2], sp[0] * sp[1]]
        def boundary(m):
            padded = np.pad(m, 1)
            area = np.zeros(m.shape)
            for axis in range(3):
                for shift in (1, -1):
                    neighbour = np.roll(padded, shift, axis=axis)[1:-1, 1:-1, 1:-1]
                    area += np.where(m & ~neighbour, face[axis], 0.0)
            return area > 0, area
        bp, ap = boundary(pred); bt, at = boundary(truth)
        dp = ndimage.distance_transform_edt(~bt, sampling=sp)[bp]
        dt = ndimage.distance_transform_edt(~bp, sampling=sp)[bt]
        nsd = (ap[bp][dp <= tau].sum() + at[bt][dt <= tau].sum()) / (ap[bp].sum() + at[bt].sum())
        hd95 = max(np.percentile(dp, 95), np.percentile(dt, 95))
        dice = 2.0 * (pred & truth).sum() / (pred.sum() + truth.sum())

        s26 = np.ones((3, 3, 3))
        lp, n_pred = ndimage.label(pred, s26); lt, n_truth = ndimage.label(truth, s26)
        overlap = (lp > 0) & (lt > 0)
        tp = len(np.unique(lt[overlap])); fp = n_pred - len(np.unique(lp[overlap])); fn = n_truth - tp
        sizes26 = sorted(np.bincount(lp.ravel())[1:].tolist())
        lp6, n6 = ndimage.label(pred); sizes6 = sorted(np.bincount(lp6.ravel())[1:].tolist())

        s = score.ravel(); y = truth.ravel(); P = int(y.sum()); N = y.size - P
        auroc = (rankdata(s)[y].sum() - P * (P + 1) / 2) / (P * N)
        order = np.argsort(-s, kind="mergesort"); ss = s[order]; ys = y[order]
        last = np.r_[np.where(np.diff(ss))[0], y.size - 1]
        tps = np.cumsum(ys)[last]; precision = tps / (last + 1); recall = tps / P
        auprc = float(np.sum(np.diff(np.r_[0.0, recall]) * precision))

        edt = ndimage.distance_transform_edt(~feature, sampling=sp)
        nib.save(nib.Nifti1Image(edt.astype(np.float64), affine), f"{folder}/edt_scipy.nii")
        print(json.dumps(dict(dice=dice, nsd=nsd, hd95=hd95, tp=tp, fp=fp, fn=fn, auroc=auroc, auprc=auprc,
                              sizes26=sizes26, sizes6=sizes6)))
        """;

    [PythonTheory("numpy", "scipy", "nibabel")]
    [InlineData(11, 2.0)]
    [InlineData(12, 1.0)]
    [InlineData(13, 4.5)]
    public void AllMetrics_RandomBlobsAnisotropic_MatchScipy(int seed, double toleranceMm)
    {
        using var dir = new TempDirectory();
        var g = VolumeGeometry.Axial(40, 36, 24, new Vector3D(0.8, 0.9, 2.5), new Vector3D(-10, 5, 30));
        var random = new Random(seed);
        var truth = Blobs(g, random, 3, touchEdge: true);
        var prediction = Blobs(g, random, 4, touchEdge: false);
        for (var n = 0; n < 40; n++)
        {
            prediction.Data[random.Next(prediction.Data.Length)] = true;
        }

        var score = new Volume<float>(g);
        for (var n = 0; n < score.Data.Length; n++)
        {
            // Quantised so that many voxels tie, which is where rank and precision–recall implementations differ.
            score.Data[n] = MathF.Round((truth.Data[n] ? 0.6f : 0.2f) + (float)random.NextDouble() * 0.5f, 1);
        }

        var feature = new Volume<bool>(g);
        for (var n = 0; n < 15; n++)
        {
            feature.Data[random.Next(feature.Data.Length)] = true;
        }

        WriteMask(dir.Combine("pred.nii.gz"), prediction);
        WriteMask(dir.Combine("truth.nii.gz"), truth);
        WriteMask(dir.Combine("feature.nii.gz"), feature);
        NiftiWriter.Write(dir.Combine("score.nii.gz"), score);
        var p = ReadMask(dir.Combine("pred.nii.gz"));
        var t = ReadMask(dir.Combine("truth.nii.gz"));
        var f = ReadMask(dir.Combine("feature.nii.gz"));
        var sc = NiftiReader.Read(dir.Combine("score.nii.gz")).ToFloatVolume();

        var run = ProcessRunner.Run(Peers.DebianPython,
            ["-c", Script, dir.Path, toleranceMm.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, run.StandardError);
        using var expected = JsonDocument.Parse(run.StandardOutput);
        var e = expected.RootElement;

        var surface = SegmentationMetrics.SurfaceDistances(p, t, toleranceMm);
        var lesions = SegmentationMetrics.LesionDetection(p, t);
        var ranking = SegmentationMetrics.Ranking(sc, t);
        Assert.Equal(e.GetProperty("dice").GetDouble(), SegmentationMetrics.Dice(p, t), 9);
        Assert.Equal(e.GetProperty("nsd").GetDouble(), surface.Nsd, 9);
        Assert.Equal(e.GetProperty("hd95").GetDouble(), surface.Hd95Mm, 6);
        Assert.Equal(
            (e.GetProperty("tp").GetInt32(), e.GetProperty("fp").GetInt32(), e.GetProperty("fn").GetInt32()),
            (lesions.TruePositives, lesions.FalsePositives, lesions.FalseNegatives));
        Assert.Equal(e.GetProperty("auroc").GetDouble(), ranking.Auroc!.Value, 9);
        Assert.Equal(e.GetProperty("auprc").GetDouble(), ranking.Auprc!.Value, 9);
        Assert.Equal(Sizes(e.GetProperty("sizes26")), ComponentSizes(p, Connectivity.Full26));
        Assert.Equal(Sizes(e.GetProperty("sizes6")), ComponentSizes(p, Connectivity.Faces6));
        Assert.True(surface.Nsd is > 0 and < 1, "the shapes should agree only partly, or the check proves little");

        var edtScipy = NiftiReader.Read(dir.Combine("edt_scipy.nii")).GetStoredVolume<double>().Data;
        var s = f.Geometry.Spacing;
        var ours = EuclideanDistanceTransform.SquaredDistances(f.Data, g.SizeX, g.SizeY, g.SizeZ, s.X, s.Y, s.Z);
        for (var n = 0; n < ours.Length; n++)
        {
            Assert.Equal(edtScipy[n], Math.Sqrt(ours[n]), 6);
        }
    }

    private static Volume<bool> Blobs(VolumeGeometry g, Random random, int count, bool touchEdge)
    {
        var mask = new Volume<bool>(g);
        for (var b = 0; b < count; b++)
        {
            double cx = random.Next(6, 34), cy = random.Next(6, 30), cz = random.Next(4, 20);
            if (touchEdge && b == 0)
            {
                cx = 1;
            }

            double rx = random.Next(3, 8), ry = random.Next(3, 8), rz = random.Next(2, 4);
            Shapes.Fill(mask, (i, j, k) => Math.Pow((i - cx) / rx, 2) + Math.Pow((j - cy) / ry, 2) + Math.Pow((k - cz) / rz, 2) <= 1);
        }

        return mask;
    }

    private static void WriteMask(string path, Volume<bool> mask) => NiftiWriter.Write(path, mask.Map(v => v ? (byte)1 : (byte)0));

    private static Volume<bool> ReadMask(string path) => NiftiReader.Read(path).GetStoredVolume<byte>().Map(v => v != 0);

    private static List<long> Sizes(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToList();

    private static List<long> ComponentSizes(Volume<bool> mask, Connectivity connectivity)
    {
        return ConnectedComponents.Label(mask, connectivity).Sizes.Order().ToList();
    }
}
