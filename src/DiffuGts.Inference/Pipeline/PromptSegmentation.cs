using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Inference.Pipeline;

/// <summary>
/// The result for one prompt, on the input grid: <see cref="Mask"/> holds lesion labels (1…n, 0 = background, index
/// into <see cref="Lesions"/> + 1); <see cref="PseudoHealthy"/> is the evidence image in the input's intensity units.
/// </summary>
public sealed record PromptSegmentation(
    string Prompt,
    Volume<byte> Mask,
    IReadOnlyList<LesionFinding> Lesions,
    Volume<float> Probability,
    Volume<float>? PseudoHealthy,
    bool CandidateRegionFound);
