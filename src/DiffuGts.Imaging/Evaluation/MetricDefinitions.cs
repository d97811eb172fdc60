using System.Globalization;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>The exact metric definitions printed under every report table (evaluation.md §1.3: "the exact metric definitions").</summary>
public static class MetricDefinitions
{
    public static string Markdown(double toleranceMm) => string.Create(CultureInfo.InvariantCulture, $"""
        - **Dice** = 2|P∩T| / (|P|+|T|) on the binary lesion masks. Empty policy: both empty → 1; exactly one empty → 0.
        - **NSD@{toleranceMm:0.###} mm** (normalised surface Dice, τ = {toleranceMm:0.###} mm): boundary voxels of P and T are mask voxels with a
          6-neighbour outside the mask (grid edge = outside), each weighted by the area of its exposed faces (mm²); distances
          are voxel centre → nearest boundary voxel centre of the other mask (exact EDT with voxel spacing).
          NSD = (area of ∂P within τ of ∂T + area of ∂T within τ of ∂P) / (area ∂P + area ∂T). DeepMind-style area weighting,
          with voxel faces as surface elements (not marching-cubes surfels). Empty: both → 1; one → 0.
        - **HD95** (mm) = max(P95 d(∂P→∂T), P95 d(∂T→∂P)) over boundary voxels, unweighted, linear-interpolated percentile.
          Empty: both → 0; exactly one → the grid diagonal √Σ(nᵢ·sᵢ)² (penalised, not excluded).
        - **Lesions**: 26-connected components of P and T. A truth lesion is TP when ≥ 1 of its voxels is predicted, else FN;
          a predicted component touching no truth lesion is FP. F1 = 2TP/(2TP+FP+FN) (1 when no lesions on either side).
        - **AUROC / AUPRC**: voxel-wise over the whole grid on the method's continuous score map before thresholding;
          AUROC = Mann–Whitney U/(N₊N₋) with ties counted half; AUPRC = average precision Σ(Rₙ−Rₙ₋₁)Pₙ. Undefined (excluded,
          counted) when the truth mask is empty.
        - Means ± SD (sample SD, n−1) are over the cases where the value is defined; `n` counts those cases.
        """);
}
