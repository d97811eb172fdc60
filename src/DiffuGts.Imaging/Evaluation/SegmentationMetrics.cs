using DiffuGts.Imaging.Operations;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Per-case segmentation metrics on binary masks with voxel spacing (evaluation.md §1.1). Every metric states its
/// empty-mask policy here and in the run report (<see cref="MetricDefinitions"/>).
/// </summary>
public static class SegmentationMetrics
{
    public const double DefaultToleranceMm = 2.0;

    /// <summary>
    /// Dice = 2|P ∩ T| / (|P| + |T|). Empty policy: both empty → 1 (a correct "no lesion"); exactly one empty → 0.
    /// </summary>
    public static double Dice(Volume<bool> prediction, Volume<bool> truth)
    {
        CheckSameGrid(prediction, truth);
        long both = 0, p = 0, t = 0;
        var pd = prediction.Data;
        var td = truth.Data;
        for (var n = 0; n < pd.Length; n++)
        {
            if (pd[n])
            {
                p++;
                if (td[n])
                {
                    both++;
                }
            }

            if (td[n])
            {
                t++;
            }
        }

        return p + t == 0 ? 1.0 : 2.0 * both / (p + t);
    }

    /// <summary>
    /// Surface distances between the boundaries ∂P and ∂T. A boundary voxel is a mask voxel with at least one of its 6 face
    /// neighbours outside the mask (outside the grid counts as outside); its surface area is the summed area of those
    /// exposed faces (sy·sz for ±x faces, sx·sz for ±y, sx·sy for ±z). Distances run voxel centre to the nearest voxel
    /// centre of the other boundary (exact EDT with spacing).
    /// NSD@τ = (Σ area of ∂P within τ of ∂T + Σ area of ∂T within τ of ∂P) / (area ∂P + area ∂T): DeepMind's
    /// area-weighted surface Dice, with voxel faces as the surface elements instead of its marching-cubes surfels.
    /// HD95 = max(P95 of d(∂P→∂T), P95 of d(∂T→∂P)) over boundary voxels, unweighted, linear-interpolated percentile
    /// (numpy's default) — MONAI's symmetric convention. Empty policy: both empty → NSD 1, HD 0; exactly one empty →
    /// NSD 0 and HD95 = HD = the grid diagonal (√Σ(n·s)²), so a missed or invented lesion is penalised, not dropped.
    /// </summary>
    public static SurfaceDistanceResult SurfaceDistances(Volume<bool> prediction, Volume<bool> truth, double toleranceMm = DefaultToleranceMm)
    {
        CheckSameGrid(prediction, truth);
        ArgumentOutOfRangeException.ThrowIfNegative(toleranceMm);
        var g = truth.Geometry;
        var box = BoundingBox(prediction.Data, truth.Data, g.SizeX, g.SizeY);
        var predictionEmpty = Array.IndexOf(prediction.Data, true) < 0;
        var truthEmpty = Array.IndexOf(truth.Data, true) < 0;
        if (predictionEmpty && truthEmpty)
        {
            return new SurfaceDistanceResult(1.0, 0.0, 0.0, toleranceMm);
        }

        if (predictionEmpty || truthEmpty)
        {
            var diagonal = new Vector3D(g.SizeX * g.Spacing.X, g.SizeY * g.Spacing.Y, g.SizeZ * g.Spacing.Z).Length;
            return new SurfaceDistanceResult(0.0, diagonal, diagonal, toleranceMm);
        }

        // Crop to the joint bounding box: every boundary voxel lies inside it, and the EDT restricted to a box that holds
        // all feature voxels is still exact for the voxels in that box.
        var (x0, y0, z0, nx, ny, nz) = box;
        var p = Crop(prediction.Data, g, x0, y0, z0, nx, ny, nz);
        var t = Crop(truth.Data, g, x0, y0, z0, nx, ny, nz);
        var s = g.Spacing;
        var (pBorder, pArea) = Boundary(p, nx, ny, nz, s);
        var (tBorder, tArea) = Boundary(t, nx, ny, nz, s);
        var toT = EuclideanDistanceTransform.SquaredDistances(tBorder, nx, ny, nz, s.X, s.Y, s.Z);
        var toP = EuclideanDistanceTransform.SquaredDistances(pBorder, nx, ny, nz, s.X, s.Y, s.Z);

        var tau2 = toleranceMm * toleranceMm * (1 + 1e-12) + 1e-12;
        var (pDistances, pWithin, pTotal) = Gather(pBorder, pArea, toT, tau2);
        var (tDistances, tWithin, tTotal) = Gather(tBorder, tArea, toP, tau2);
        var nsd = (pWithin + tWithin) / (pTotal + tTotal);
        var hd95 = Math.Max(Percentile(pDistances, 95), Percentile(tDistances, 95));
        var hd = Math.Max(pDistances[^1], tDistances[^1]);
        return new SurfaceDistanceResult(nsd, hd95, hd, toleranceMm);
    }

    /// <summary>
    /// Lesion-wise detection. Lesions are the 26-connected components of P and of T (<paramref name="connectivity"/>
    /// <see cref="Connectivity.Faces6"/> for face-connected). Matching rule: a truth lesion is detected (TP) when at least one voxel of it is predicted by
    /// any predicted lesion (overlap ≥ 1 voxel); truth lesions without overlap are FN; predicted lesions overlapping no
    /// truth lesion are FP. Recall = TP/(TP+FN); precision = (predicted lesions that overlap a truth lesion)/(predicted
    /// lesions); F1 = 2TP/(2TP+FP+FN), and 1 when there are no lesions on either side.
    /// </summary>
    public static LesionDetectionResult LesionDetection(Volume<bool> prediction, Volume<bool> truth,
        Connectivity connectivity = Connectivity.Full26)
    {
        CheckSameGrid(prediction, truth);
        var predicted = ConnectedComponents.Label(prediction, connectivity);
        var actual = ConnectedComponents.Label(truth, connectivity);
        var (pl, pc) = (predicted.Labels.Data, predicted.Count);
        var (tl, tc) = (actual.Labels.Data, actual.Count);
        var predictedHit = new bool[pc + 1];
        var truthHit = new bool[tc + 1];
        for (var n = 0; n < pl.Length; n++)
        {
            if (pl[n] != 0 && tl[n] != 0)
            {
                predictedHit[pl[n]] = true;
                truthHit[tl[n]] = true;
            }
        }

        var tp = truthHit.Count(h => h);
        var matchedPredictions = predictedHit.Count(h => h);
        var fn = tc - tp;
        var fp = pc - matchedPredictions;
        var denominator = 2 * tp + fp + fn;
        return new LesionDetectionResult(tp, fp, fn, tc, pc,
            tc == 0 ? null : (double)tp / tc,
            pc == 0 ? null : (double)matchedPredictions / pc,
            denominator == 0 ? 1.0 : 2.0 * tp / denominator);
    }

    /// <summary>
    /// Voxel AUROC (Mann–Whitney U / (N₊N₋), ties counted half) and AUPRC as average precision
    /// (Σₙ (Rₙ − Rₙ₋₁) Pₙ over descending distinct thresholds, scikit-learn's definition) of a continuous score map
    /// against the truth mask, over every voxel of the grid. Both null when the truth has no positive or no negative voxel.
    /// </summary>
    public static RankingResult Ranking(Volume<float> score, Volume<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(truth);
        CheckSameSize(score.Geometry, truth.Geometry);
        var keys = (float[])score.Data.Clone();
        var labels = (bool[])truth.Data.Clone();
        if (keys.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("the score map holds NaN or infinite values", nameof(score));
        }

        long positives = labels.LongCount(l => l);
        long negatives = labels.LongLength - positives;
        if (positives == 0 || negatives == 0)
        {
            return new RankingResult(null, null);
        }

        Array.Sort(keys, labels);
        // Ascending pass: average ranks of tied groups for the U statistic.
        double positiveRankSum = 0;
        for (var start = 0; start < keys.Length;)
        {
            var end = start;
            long groupPositives = 0;
            while (end < keys.Length && keys[end] == keys[start])
            {
                if (labels[end])
                {
                    groupPositives++;
                }

                end++;
            }

            var averageRank = (start + 1 + end) / 2.0;
            positiveRankSum += groupPositives * averageRank;
            start = end;
        }

        var auroc = (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);

        // Descending pass: precision and recall at each distinct threshold.
        double ap = 0, previousRecall = 0;
        long tp = 0, fp = 0;
        for (var end = keys.Length - 1; end >= 0;)
        {
            var start = end;
            while (start >= 0 && keys[start] == keys[end])
            {
                if (labels[start])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }

                start--;
            }

            var recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
            end = start;
        }

        return new RankingResult(auroc, ap);
    }

    private static (double[] Sorted, double Within, double Total) Gather(bool[] border, double[] area, double[] squaredDistance, double tau2)
    {
        var distances = new List<double>();
        double within = 0, total = 0;
        for (var n = 0; n < border.Length; n++)
        {
            if (!border[n])
            {
                continue;
            }

            total += area[n];
            if (squaredDistance[n] <= tau2)
            {
                within += area[n];
            }

            distances.Add(Math.Sqrt(squaredDistance[n]));
        }

        var sorted = distances.ToArray();
        Array.Sort(sorted);
        return (sorted, within, total);
    }

    /// <summary>numpy.percentile's default ("linear"): index q/100·(n − 1), interpolated between neighbours.</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    private static (bool[] Border, double[] Area) Boundary(bool[] mask, int nx, int ny, int nz, Vector3D s)
    {
        var border = new bool[mask.Length];
        var area = new double[mask.Length];
        double ax = s.Y * s.Z, ay = s.X * s.Z, az = s.X * s.Y;
        for (var k = 0; k < nz; k++)
        {
            for (var j = 0; j < ny; j++)
            {
                for (var i = 0; i < nx; i++)
                {
                    var n = i + nx * (j + ny * k);
                    if (!mask[n])
                    {
                        continue;
                    }

                    var exposed = 0.0;
                    exposed += i == 0 || !mask[n - 1] ? ax : 0;
                    exposed += i == nx - 1 || !mask[n + 1] ? ax : 0;
                    exposed += j == 0 || !mask[n - nx] ? ay : 0;
                    exposed += j == ny - 1 || !mask[n + nx] ? ay : 0;
                    exposed += k == 0 || !mask[n - nx * ny] ? az : 0;
                    exposed += k == nz - 1 || !mask[n + nx * ny] ? az : 0;
                    if (exposed > 0)
                    {
                        border[n] = true;
                        area[n] = exposed;
                    }
                }
            }
        }

        return (border, area);
    }

    /// <summary>
    /// The box spanned by both masks. No margin is needed: a voxel just outside the box is outside both masks, which is
    /// exactly how the cropped boundary test treats the box edge.
    /// </summary>
    private static (int X0, int Y0, int Z0, int Nx, int Ny, int Nz) BoundingBox(bool[] a, bool[] b, int sizeX, int sizeY)
    {
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = -1, maxY = -1, maxZ = -1;
        var plane = sizeX * sizeY;
        for (var n = 0; n < a.Length; n++)
        {
            if (!a[n] && !b[n])
            {
                continue;
            }

            var i = n % sizeX;
            var j = n / sizeX % sizeY;
            var k = n / plane;
            minX = Math.Min(minX, i);
            maxX = Math.Max(maxX, i);
            minY = Math.Min(minY, j);
            maxY = Math.Max(maxY, j);
            minZ = Math.Min(minZ, k);
            maxZ = Math.Max(maxZ, k);
        }

        return maxX < 0 ? (0, 0, 0, 1, 1, 1) : (minX, minY, minZ, maxX - minX + 1, maxY - minY + 1, maxZ - minZ + 1);
    }

    private static bool[] Crop(bool[] data, VolumeGeometry g, int x0, int y0, int z0, int nx, int ny, int nz)
    {
        var result = new bool[nx * ny * nz];
        for (var k = 0; k < nz; k++)
        {
            for (var j = 0; j < ny; j++)
            {
                Array.Copy(data, x0 + g.SizeX * (y0 + j + g.SizeY * (z0 + k)), result, nx * (j + ny * k), nx);
            }
        }

        return result;
    }

    private static void CheckSameGrid(Volume<bool> prediction, Volume<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        CheckSameSize(prediction.Geometry, truth.Geometry);
    }

    private static void CheckSameSize(VolumeGeometry a, VolumeGeometry b)
    {
        if (a.SizeX != b.SizeX || a.SizeY != b.SizeY || a.SizeZ != b.SizeZ || (a.Spacing - b.Spacing).Length > 1e-3)
        {
            throw new ArgumentException(
                $"prediction grid {a.SizeX}×{a.SizeY}×{a.SizeZ} at {a.Spacing} differs from the truth grid {b.SizeX}×{b.SizeY}×{b.SizeZ} at {b.Spacing}");
        }
    }
}
