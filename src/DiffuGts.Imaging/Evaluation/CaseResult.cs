namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// One method on one case: the row of <c>results.csv</c> and the per-case JSON (evaluation.md §1.3). Metrics are null
/// when undefined (AUROC/AUPRC without truth voxels, lesion recall without truth lesions) or when the case failed.
/// </summary>
public sealed record CaseResult
{
    public required string CaseId { get; init; }

    public required string Method { get; init; }

    public string MethodVersion { get; init; } = "";

    public string? ModelPackageVersion { get; init; }

    public int Seed { get; init; }

    public string Category { get; init; } = EvaluationDataset.Unspecified;

    public string Organ { get; init; } = "";

    public string LesionKind { get; init; } = "";

    public string Prompt { get; init; } = "";

    /// <summary>"ok", or "failed: reason".</summary>
    public string Status { get; init; } = "ok";

    public double? Dice { get; init; }

    public double? Nsd { get; init; }

    public double ToleranceMm { get; init; }

    public double? Hd95Mm { get; init; }

    public int? LesionTp { get; init; }

    public int? LesionFp { get; init; }

    public int? LesionFn { get; init; }

    public double? LesionRecall { get; init; }

    public double? LesionPrecision { get; init; }

    public double? LesionF1 { get; init; }

    public double? Auroc { get; init; }

    public double? Auprc { get; init; }

    public bool TruthEmpty { get; init; }

    public bool PredictionEmpty { get; init; }

    /// <summary>Wall time of the method's segmentation alone (metrics and I/O excluded).</summary>
    public double RuntimeSeconds { get; init; }
}
