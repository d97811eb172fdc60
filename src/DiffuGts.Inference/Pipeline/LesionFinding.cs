namespace DiffuGts.Inference.Pipeline;

/// <summary>One connected lesion on the input grid: its label in the mask, size, and score = max probability inside it.</summary>
public sealed record LesionFinding(int Label, long VoxelCount, double VolumeMl, double Score);
