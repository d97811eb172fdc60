namespace DiffuGts.Inference.Packages;

/// <summary>Where the package came from. <see cref="TrainingConfigJson"/> is the training config object as raw JSON.</summary>
public sealed record ProvenanceSpec(string FoundryCommit, long Seed, string TrainingConfigJson, int Opset, string CreatedUtc, string? SourceWeights);
