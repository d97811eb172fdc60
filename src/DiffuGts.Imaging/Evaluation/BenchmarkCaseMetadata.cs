namespace DiffuGts.Imaging.Evaluation;

/// <summary>The <c>case.json</c> of a benchmark-layout case (docs/evaluation.md).</summary>
public sealed record BenchmarkCaseMetadata
{
    public string Organ { get; init; } = "";

    public string LesionKind { get; init; } = "";

    /// <summary>"seen" or "unseen".</summary>
    public string Category { get; init; } = "";

    public string Prompt { get; init; } = "";

    /// <summary>The values in organs.nii.gz that make up <see cref="Organ"/> (e.g. kidney = cortex + medulla); empty = every value.</summary>
    public IReadOnlyList<int> OrganLabelValues { get; init; } = [];
}
