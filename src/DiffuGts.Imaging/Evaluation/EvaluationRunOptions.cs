namespace DiffuGts.Imaging.Evaluation;

/// <summary>Settings of one <see cref="EvaluationRunner"/> run.</summary>
public sealed record EvaluationRunOptions
{
    public required string OutputDirectory { get; init; }

    public double ToleranceMm { get; init; } = SegmentationMetrics.DefaultToleranceMm;

    /// <summary>Skip a (case, method) whose result JSON already exists (resuming a killed run).</summary>
    public bool SkipExisting { get; init; }

    public int Seed { get; init; }

    /// <summary>Write each method's mask to <c>OUT/predictions/METHOD/CASEID.nii.gz</c>.</summary>
    public bool SavePredictions { get; init; } = true;
}
