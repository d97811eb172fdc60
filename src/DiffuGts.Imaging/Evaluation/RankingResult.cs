namespace DiffuGts.Imaging.Evaluation;

/// <summary>Voxel-wise ranking quality of a continuous score map; null when the ground truth has no positive or no negative voxel.</summary>
public sealed record RankingResult(double? Auroc, double? Auprc);
