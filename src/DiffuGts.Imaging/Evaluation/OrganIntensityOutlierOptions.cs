namespace DiffuGts.Imaging.Evaluation;

/// <summary>Settings of <see cref="OrganIntensityOutlierMethod"/>.</summary>
public sealed record OrganIntensityOutlierOptions
{
    /// <summary>
    /// |robust z| above which an organ voxel is lesion. The default and <see cref="SmoothingSigmaMm"/> were chosen on the
    /// seven seen-category validation phantoms (seeds 3001–3006 and 3009, never the benchmark's; the model's thresholds
    /// are chosen on the same ones) as the pair with the best mean Dice (0.29) over z ∈ {1.5, 2, 2.5, 3} × σ ∈
    /// {3, 6, 9, 12} mm (docs/evaluation.md).
    /// </summary>
    public double ZThreshold { get; init; } = 2.0;

    /// <summary>Gaussian σ (mm) of the smoothing within each organ before the z-score; 0 turns it off.</summary>
    public double SmoothingSigmaMm { get; init; } = 9.0;

    /// <summary>
    /// Connected components (26-connected) smaller than this are dropped from the mask: 100 mm³, the reference package's
    /// minimum lesion volume (0.1 mL), so baseline and pipeline drop the same specks.
    /// </summary>
    public double MinLesionVolumeMm3 { get; init; } = 100.0;
}
