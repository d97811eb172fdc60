namespace DiffuGts.Node.Jobs;

/// <summary>A segmentation job's life (issue 7 §5): Queued → Running → ResultsReady → Exported, or Failed with a reason.</summary>
public enum JobState
{
    Queued,
    Running,

    /// <summary>SEG/SC written under results/; outbox items queued for every destination.</summary>
    ResultsReady,

    /// <summary>Every destination confirmed delivery.</summary>
    Exported,

    /// <summary>Segmentation failed (e.g. broken geometry) or a destination parked the result; see LastError.</summary>
    Failed,
}
