using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// One study to segment: the volume in modality units (HU for CT), the prompts, the seed of the diffusion noise, and
/// optional body region (UNet conditioning), organ constraint (non-zero = allowed) and debug folder (each stage as NIfTI).
/// </summary>
public sealed record SegmentationRequest(Volume<float> Image, IReadOnlyList<string> Prompts)
{
    public long Seed { get; init; } = 1234;

    public BodyRegion? TopRegion { get; init; }

    public BodyRegion? BottomRegion { get; init; }

    public Volume<byte>? OrganMask { get; init; }

    public string? DebugDirectory { get; init; }
}
