namespace DiffuGts.Inference.Prompts;

/// <summary>Turns text into an L2-normalised sentence embedding of <see cref="Dimension"/> values.</summary>
public interface IPromptEncoder
{
    int Dimension { get; }

    float[] Embed(string text, CancellationToken cancellationToken);
}
