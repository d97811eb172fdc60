using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// DDPM ancestral sampling (Ho et al., 2020), as MONAI's DDPMScheduler with variance "fixed_small" (method note §5.7).
/// ᾱ_prev is always the adjacent training step, so only the full schedule is self-consistent; use DDIM for strides.
/// </summary>
public sealed class DdpmScheduler : IDiffusionScheduler
{
    private readonly SchedulerSpec _spec;
    private readonly NoiseSchedule _schedule;
    private double[] _timesteps = [];

    public DdpmScheduler(SchedulerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _schedule = new NoiseSchedule(spec);
    }

    public int NumTrainTimesteps => _spec.NumTrainTimesteps;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public void SetTimesteps(int steps, long latentSpatialNumel) =>
        _timesteps = NoiseSchedule.Strided(_spec.NumTrainTimesteps, steps, _spec.StepsOffset);

    public double? NextTimestep(int index) => index + 1 < _timesteps.Length ? _timesteps[index + 1] : null;

    public void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, double? t, Span<float> destination) =>
        _schedule.AddNoise(x0, noise, t, destination);

    public void Denoise(ReadOnlySpan<float> modelOutput, int index, ReadOnlySpan<float> sample, Span<float> nextSample, Span<float> predictedX0, SeededGaussian noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var t = (int)_timesteps[index];
        var alphaBar = _schedule.AlphasCumprod[t];
        var alphaBarPrev = t > 0 ? _schedule.AlphasCumprod[t - 1] : 1.0;
        var beta = _schedule.Betas[t];

        // Ho et al. eq. 7: μ̃ = (√ᾱ_{t−1}·β_t/(1−ᾱ_t))·x̂0 + (√α_t·(1−ᾱ_{t−1})/(1−ᾱ_t))·x_t
        var x0Coefficient = Math.Sqrt(alphaBarPrev) * beta / (1 - alphaBar);
        var xtCoefficient = Math.Sqrt(_schedule.Alphas[t]) * (1 - alphaBarPrev) / (1 - alphaBar);
        // "fixed_small": σ² = max(β̃_t, 1e-20) with β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t
        var sigma = t > 0 ? (float)Math.Sqrt(Math.Max((1 - alphaBarPrev) / (1 - alphaBar) * beta, 1e-20)) : 0f;
        for (var n = 0; n < sample.Length; n++)
        {
            var (x0, _) = NoiseSchedule.Decompose(_spec.PredictionType, modelOutput[n], sample[n], alphaBar, _spec.ClipSample);
            predictedX0[n] = x0;
            var mean = (float)((x0Coefficient * x0) + (xtCoefficient * sample[n]));
            nextSample[n] = t > 0 ? mean + (sigma * noise.NextGaussian()) : mean;
        }
    }
}
