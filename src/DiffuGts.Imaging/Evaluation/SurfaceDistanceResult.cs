namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Surface agreement of a prediction with the ground truth; see <see cref="SegmentationMetrics.SurfaceDistances"/> for
/// the exact definitions and the empty-mask policy.
/// </summary>
/// <param name="Nsd">Normalised surface Dice at <paramref name="ToleranceMm"/>, in [0, 1].</param>
/// <param name="Hd95Mm">Symmetric 95th-percentile Hausdorff distance in mm.</param>
/// <param name="HausdorffMm">Symmetric (100th-percentile) Hausdorff distance in mm.</param>
/// <param name="ToleranceMm">τ used for <paramref name="Nsd"/>.</param>
public sealed record SurfaceDistanceResult(double Nsd, double Hd95Mm, double HausdorffMm, double ToleranceMm);
