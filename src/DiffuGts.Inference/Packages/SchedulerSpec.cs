namespace DiffuGts.Inference.Packages;

/// <summary>Scheduler configuration (docs/model-package.md §4). Fields that do not apply to <see cref="Type"/> keep their defaults.</summary>
public sealed record SchedulerSpec
{
    public required SchedulerType Type { get; init; }

    public required int NumTrainTimesteps { get; init; }

    public required PredictionType PredictionType { get; init; }

    public BetaSchedule BetaSchedule { get; init; } = BetaSchedule.ScaledLinear;

    public double BetaStart { get; init; } = 0.0015;

    public double BetaEnd { get; init; } = 0.0195;

    public bool ClipSample { get; init; }

    public bool SetAlphaToOne { get; init; } = true;

    public int StepsOffset { get; init; }

    public bool UseTimestepTransform { get; init; } = true;

    public int BaseImageSizeNumel { get; init; } = 32 * 32 * 32;
}
