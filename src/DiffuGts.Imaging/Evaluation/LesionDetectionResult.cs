namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Lesion-wise detection counts; see <see cref="SegmentationMetrics.LesionDetection"/> for the matching rule.
/// Recall and precision are null when their denominator is zero.
/// </summary>
public sealed record LesionDetectionResult(
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int TruthLesions,
    int PredictedLesions,
    double? Recall,
    double? Precision,
    double F1);
