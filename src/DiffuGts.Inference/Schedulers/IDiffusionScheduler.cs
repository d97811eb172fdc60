namespace DiffuGts.Inference.Schedulers;

/// <summary>
/// A sampler over a trained noise schedule (MONAI semantics, method note §5.7). Call <see cref="SetTimesteps"/>, then
/// for each index i of <see cref="Timesteps"/> run the UNet at <c>Timesteps[i]</c> and <see cref="Denoise"/>.
/// </summary>
public interface IDiffusionScheduler
{
    int NumTrainTimesteps { get; }

    /// <summary>The sampling timesteps, noisiest first.</summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <param name="steps">Number of sampling steps n.</param>
    /// <param name="latentSpatialNumel">Product of the latent's spatial sizes (used by rectified flow's resolution shift).</param>
    void SetTimesteps(int steps, long latentSpatialNumel);

    /// <summary>
    /// The noise level of the sample that <see cref="Denoise"/> at <paramref name="index"/> returns: the next timestep, or
    /// null when it is the clean sample (x0).
    /// </summary>
    double? NextTimestep(int index);

    /// <summary>Forward process q(x_t | x0): destination = noised x0 at timestep t (t null ⇒ x0).</summary>
    void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, double? t, Span<float> destination);

    /// <summary>One reverse step from x_t at <c>Timesteps[index]</c>; writes the next sample and the predicted x0.</summary>
    void Denoise(ReadOnlySpan<float> modelOutput, int index, ReadOnlySpan<float> sample, Span<float> nextSample, Span<float> predictedX0, SeededGaussian noise);
}
