using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// Rectified flow with MAISI-v2 semantics (MONAI RFlowScheduler; method note §5.7): x_t = (1 − t/T)·x0 + (t/T)·ε, so
/// t = T is pure noise; the model predicts the velocity v = x0 − ε; Euler steps x_next = x + v·(t − next_t)/T.
/// </summary>
public sealed class RectifiedFlowScheduler : IDiffusionScheduler
{
    private readonly SchedulerSpec _spec;
    private double[] _timesteps = [];

    public RectifiedFlowScheduler(SchedulerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
    }

    public int NumTrainTimesteps => _spec.NumTrainTimesteps;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public void SetTimesteps(int steps, long latentSpatialNumel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(latentSpatialNumel, 1);
        double T = _spec.NumTrainTimesteps;
        _timesteps = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            // t_i = (1 − i/n)·T
            var t = (1 - ((double)i / steps)) * T;
            if (_spec.UseTimestepTransform)
            {
                // Resolution shift: s = t/T; ratio = (numel/base)^(1/3); s′ = ratio·s / (1 + (ratio − 1)·s)
                var s = t / T;
                var ratio = Math.Pow((double)latentSpatialNumel / _spec.BaseImageSizeNumel, 1.0 / 3.0);
                t = T * (ratio * s / (1 + ((ratio - 1) * s)));
            }

            // MONAI rounds the timesteps to float16 before adding steps_offset.
            _timesteps[i] = (double)(Half)t + _spec.StepsOffset;
        }
    }

    /// <summary>The loop pairs each t with the following one and 0 after the last; 0 is the clean sample.</summary>
    public double? NextTimestep(int index) => index + 1 < _timesteps.Length ? _timesteps[index + 1] : null;

    public void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, double? t, Span<float> destination)
    {
        var s = (float)((t ?? 0) / _spec.NumTrainTimesteps);
        for (var n = 0; n < destination.Length; n++)
        {
            destination[n] = ((1 - s) * x0[n]) + (s * noise[n]);
        }
    }

    public void Denoise(ReadOnlySpan<float> modelOutput, int index, ReadOnlySpan<float> sample, Span<float> nextSample, Span<float> predictedX0, SeededGaussian noise)
    {
        double T = _spec.NumTrainTimesteps;
        var t = _timesteps[index];
        // MONAI casts next_t to int before dt while t stays the fp16-rounded float (method note §5.7).
        var nextT = Math.Truncate(NextTimestep(index) ?? 0);
        var dt = (float)((t - nextT) / T);
        var toX0 = (float)(t / T);
        for (var n = 0; n < sample.Length; n++)
        {
            nextSample[n] = sample[n] + (modelOutput[n] * dt);
            predictedX0[n] = sample[n] + (modelOutput[n] * toX0);
        }
    }
}
