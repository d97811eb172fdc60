namespace DiffuGts.Inference.Packages;

/// <summary>The validated content of a package's <c>manifest.json</c> (docs/model-package.md §2).</summary>
public sealed record ModelManifest
{
    public const int SupportedFormatVersion = 1;

    public required int FormatVersion { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Licence { get; init; }

    public string? Description { get; init; }

    public required string Modality { get; init; }

    public required IReadOnlyList<BodyRegion> BodyRegions { get; init; }

    public required IntensitySpec Intensity { get; init; }

    /// <summary>Model voxel spacing (x, y, z) in mm.</summary>
    public required IReadOnlyList<double> SpacingMm { get; init; }

    public required TilingSpec Tiling { get; init; }

    public required LatentSpec Latent { get; init; }

    public required IReadOnlyList<FeatureSpec> Features { get; init; }

    public required SchedulerSpec Scheduler { get; init; }

    public required ConditioningSpec Conditioning { get; init; }

    public required PromptSpec Prompts { get; init; }

    public required SegmentationSpec Segmentation { get; init; }

    public required InpaintingSpec Inpainting { get; init; }

    public required IReadOnlyDictionary<GraphRole, GraphSpec> Graphs { get; init; }

    public required ProvenanceSpec Provenance { get; init; }

    /// <summary>Relative file name → SHA-256 (64 lowercase hex digits).</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }
}
