namespace DiffuGts.Inference.Pipeline;

/// <summary>Run-time settings of the pipeline (the model's own settings live in its manifest).</summary>
public sealed record SegmentationPipelineOptions
{
    /// <summary>Peak bytes one tile may need (tiles shrink to fit; docs/model-package.md tiling.activation_bytes_per_voxel).</summary>
    public long MemoryBudgetBytes { get; init; } = 4L << 30;

    /// <summary>Overrides the manifest's inpainting step count when set.</summary>
    public int? InpaintingSteps { get; init; }
}
