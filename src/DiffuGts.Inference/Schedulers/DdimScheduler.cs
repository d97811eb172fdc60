using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// DDIM (Song et al., 2021) strided sampling (eq. 12, σ from eq. 16) and deterministic inversion, as MONAI's
/// DDIMScheduler (method note §5.7).
/// </summary>
public sealed class DdimScheduler : IDiffusionScheduler
{
    private readonly SchedulerSpec _spec;
    private readonly NoiseSchedule _schedule;
    private double[] _timesteps = [];
    private int _ratio = 1;

    public DdimScheduler(SchedulerSpec spec, double eta = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(eta);
        _spec = spec;
        _schedule = new NoiseSchedule(spec);
        Eta = eta;
    }

    /// <summary>η: 0 gives deterministic DDIM, 1 DDPM-like variance.</summary>
    public double Eta { get; }

    public int NumTrainTimesteps => _spec.NumTrainTimesteps;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public void SetTimesteps(int steps, long latentSpatialNumel)
    {
        _timesteps = NoiseSchedule.Strided(_spec.NumTrainTimesteps, steps, _spec.StepsOffset);
        _ratio = _spec.NumTrainTimesteps / steps;
        if (_spec.StepsOffset >= _ratio)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps_offset {_spec.StepsOffset} must be below T / steps = {_ratio}");
        }
    }

    public double? NextTimestep(int index)
    {
        var previous = _timesteps[index] - _ratio;
        return previous >= 0 ? previous : null;
    }

    public void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, double? t, Span<float> destination) =>
        _schedule.AddNoise(x0, noise, t, destination);

    public void Denoise(ReadOnlySpan<float> modelOutput, int index, ReadOnlySpan<float> sample, Span<float> nextSample, Span<float> predictedX0, SeededGaussian noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var t = (int)_timesteps[index];
        var tPrev = t - _ratio;
        var alphaBar = _schedule.AlphasCumprod[t];
        var alphaBarPrev = tPrev >= 0 ? _schedule.AlphasCumprod[tPrev] : (_spec.SetAlphaToOne ? 1.0 : _schedule.AlphasCumprod[0]);

        // eq. 16: σ_t = η·√((1−ᾱ_{t−1})/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_{t−1})
        var sigma = Eta * Math.Sqrt((1 - alphaBarPrev) / (1 - alphaBar) * (1 - (alphaBar / alphaBarPrev)));
        var x0Coefficient = Math.Sqrt(alphaBarPrev);
        var epsCoefficient = Math.Sqrt(Math.Max(1 - alphaBarPrev - (sigma * sigma), 0));
        for (var n = 0; n < sample.Length; n++)
        {
            var (x0, eps) = NoiseSchedule.Decompose(_spec.PredictionType, modelOutput[n], sample[n], alphaBar, _spec.ClipSample);
            predictedX0[n] = x0;
            // eq. 12: x_{t−1} = √ᾱ_{t−1}·x̂0 + √(1−ᾱ_{t−1}−σ_t²)·ε̂ + σ_t·z
            var value = (x0Coefficient * x0) + (epsCoefficient * eps);
            nextSample[n] = (float)(sigma > 0 ? value + (sigma * noise.NextGaussian()) : value);
        }
    }

    /// <summary>
    /// DDIM inversion (MONAI reversed_step): from x_t at training step <paramref name="timestep"/> to the noisier
    /// x_{t+T/n} = √ᾱ_next·x̂0 + √(1−ᾱ_next)·ε̂.
    /// </summary>
    public void Invert(ReadOnlySpan<float> modelOutput, int timestep, ReadOnlySpan<float> sample, Span<float> nextSample)
    {
        var tNext = timestep + _ratio;
        var alphaBar = _schedule.AlphasCumprod[timestep];
        var alphaBarNext = tNext < _schedule.AlphasCumprod.Length ? _schedule.AlphasCumprod[tNext] : _schedule.AlphasCumprod[^1];
        var a = Math.Sqrt(alphaBarNext);
        var b = Math.Sqrt(1 - alphaBarNext);
        for (var n = 0; n < sample.Length; n++)
        {
            var (x0, eps) = NoiseSchedule.Decompose(_spec.PredictionType, modelOutput[n], sample[n], alphaBar, _spec.ClipSample);
            nextSample[n] = (float)((a * x0) + (b * eps));
        }
    }
}
