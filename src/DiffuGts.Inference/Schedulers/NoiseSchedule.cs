using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// The DDPM variance schedule shared by DDPM and DDIM (Ho et al., 2020 §2): β_t, α_t = 1 − β_t, ᾱ_t = ∏_{s≤t} α_s.
/// </summary>
internal sealed class NoiseSchedule
{
    public NoiseSchedule(SchedulerSpec spec)
    {
        var n = spec.NumTrainTimesteps;
        Betas = new double[n];
        Alphas = new double[n];
        AlphasCumprod = new double[n];
        double cumulative = 1;
        for (var t = 0; t < n; t++)
        {
            var fraction = n == 1 ? 0 : (double)t / (n - 1);
            Betas[t] = spec.BetaSchedule switch
            {
                // Python: torch.linspace(beta_start, beta_end, N)
                BetaSchedule.Linear => spec.BetaStart + (fraction * (spec.BetaEnd - spec.BetaStart)),
                // Python: torch.linspace(beta_start ** 0.5, beta_end ** 0.5, N) ** 2
                _ => Math.Pow(Math.Sqrt(spec.BetaStart) + (fraction * (Math.Sqrt(spec.BetaEnd) - Math.Sqrt(spec.BetaStart))), 2),
            };
            Alphas[t] = 1 - Betas[t];
            cumulative *= Alphas[t];
            AlphasCumprod[t] = cumulative;
        }
    }

    public double[] Betas { get; }

    public double[] Alphas { get; }

    public double[] AlphasCumprod { get; }

    /// <summary>q(x_t | x0) = √ᾱ_t·x0 + √(1−ᾱ_t)·ε (Ho et al. eq. 4); t null ⇒ x0.</summary>
    public void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, double? t, Span<float> destination)
    {
        if (t is not { } timestep)
        {
            x0.CopyTo(destination);
            return;
        }

        var alphaBar = AlphasCumprod[(int)timestep];
        var a = (float)Math.Sqrt(alphaBar);
        var b = (float)Math.Sqrt(1 - alphaBar);
        for (var n = 0; n < destination.Length; n++)
        {
            destination[n] = (a * x0[n]) + (b * noise[n]);
        }
    }

    /// <summary>x̂0 and ε̂ from the model output at ᾱ_t, whatever the prediction type.</summary>
    public static (float X0, float Eps) Decompose(PredictionType type, float output, float x, double alphaBar, bool clip)
    {
        var sa = Math.Sqrt(alphaBar);
        var sb = Math.Sqrt(1 - alphaBar);
        double x0 = type switch
        {
            PredictionType.Epsilon => (x - (sb * output)) / sa, // x̂0 = (x_t − √(1−ᾱ)·ε̂)/√ᾱ
            PredictionType.Sample => output,
            PredictionType.VPrediction => (sa * x) - (sb * output), // x̂0 = √ᾱ·x_t − √(1−ᾱ)·v
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a DDPM/DDIM prediction type"),
        };
        if (clip)
        {
            x0 = Math.Clamp(x0, -1, 1);
        }

        double eps = type switch
        {
            PredictionType.Epsilon => output,
            PredictionType.VPrediction => (sa * output) + (sb * x), // ε̂ = √ᾱ·v + √(1−ᾱ)·x_t
            _ => (x - (sa * x0)) / sb,
        };
        return ((float)x0, (float)eps);
    }

    /// <summary>MONAI set_timesteps: step_ratio = T // n; t_k = k·step_ratio + offset for k = n−1 … 0.</summary>
    public static double[] Strided(int numTrain, int steps, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, numTrain);
        var ratio = numTrain / steps;
        return [.. Enumerable.Range(0, steps).Reverse().Select(k => (double)((k * ratio) + offset))];
    }
}
