using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Schedulers;

/// <summary>The scheduler a manifest names; every <see cref="SchedulerType"/> has one (no null for an unknown name).</summary>
public static class SchedulerFactory
{
    public static IDiffusionScheduler Create(SchedulerSpec spec, double eta = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Type switch
        {
            SchedulerType.Ddpm => new DdpmScheduler(spec),
            SchedulerType.Ddim => new DdimScheduler(spec, eta),
            SchedulerType.RectifiedFlow => new RectifiedFlowScheduler(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "unknown scheduler type"),
        };
    }
}
