namespace DiffuGts.Inference.Packages;

public enum SchedulerType
{
    Ddpm,
    Ddim,
    RectifiedFlow,
}
