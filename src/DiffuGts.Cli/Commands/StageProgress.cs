using System.Diagnostics;
using System.Globalization;
using DiffuGts.Inference.Pipeline;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// Prints each finished pipeline stage with its duration on stderr ("  liver tumor: Inpaint 12.3 s"). Reports arrive
/// synchronously from the pipeline's threads (not through <see cref="Progress{T}"/>, which posts them late and out of
/// order), hence the lock.
/// </summary>
internal sealed class StageProgress(TextWriter error) : IProgress<SegmentationProgress>
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = new();
    private (string? Prompt, PipelineStage Stage)? _current;

    public void Report(SegmentationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (_current != (value.Prompt, value.Stage))
            {
                _current = (value.Prompt, value.Stage);
                _clock.Restart();
            }

            if (value.Fraction >= 1 && _clock.IsRunning)
            {
                _clock.Stop();
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {value.Prompt ?? "(all prompts)"}: {value.Stage} {_clock.Elapsed.TotalSeconds:0.0} s"));
            }
        }
    }
}
