namespace DiffuGts.Imaging.Overlays;

/// <summary>The slice selection policy and its limits.</summary>
public sealed record OverlaySliceSelection
{
    public static OverlaySliceSelection Default { get; } = new();

    public OverlaySlicePolicy Policy { get; init; } = OverlaySlicePolicy.KeySlices;

    /// <summary>For <see cref="OverlaySlicePolicy.KeySlices"/>: slices on each side of the key slice (kept within the lesion).</summary>
    public int SlicesEitherSide { get; init; } = 2;

    /// <summary>Most slices written per series; the key slice of every segment is kept first, then the widest findings.</summary>
    public int MaxSlices { get; init; } = 50;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SlicesEitherSide);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSlices);
        if (!Enum.IsDefined(Policy))
        {
            throw new ArgumentOutOfRangeException(nameof(Policy), Policy, "unknown slice policy");
        }
    }
}
