namespace DiffuGts.Inference.Packages;

/// <summary>
/// The UNet's conditioning inputs (method note §5.5). Each is optional; a present one names its graph input.
/// Spacing is model spacing (mm) × <see cref="SpacingScale"/>; body regions are one-hot × <see cref="BodyRegionScale"/>.
/// </summary>
public sealed record ConditioningSpec
{
    public string? SpacingInput { get; init; }

    public double SpacingScale { get; init; } = 100;

    public string? TopRegionInput { get; init; }

    public string? BottomRegionInput { get; init; }

    public double BodyRegionScale { get; init; } = 100;

    public BodyRegion DefaultTop { get; init; } = BodyRegion.Chest;

    public BodyRegion DefaultBottom { get; init; } = BodyRegion.Abdomen;

    public string? ModalityInput { get; init; }

    public long ModalityValue { get; init; }
}
