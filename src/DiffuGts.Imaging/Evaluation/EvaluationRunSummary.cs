namespace DiffuGts.Imaging.Evaluation;

/// <summary>What one runner call did: (case, method) pairs computed, skipped as already present, and failed.</summary>
public sealed record EvaluationRunSummary(int Computed, int Skipped, int Failed);
