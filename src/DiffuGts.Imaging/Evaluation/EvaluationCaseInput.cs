using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// A loaded case: the image, the binary lesion truth and (when the dataset has them) the organ labels, all on one grid.
/// Methods receive the truth only through this object's <see cref="OrganLabels"/> (an oracle the report names); they
/// must never read <see cref="Truth"/>.
/// </summary>
public sealed record EvaluationCaseInput(EvaluationCase Case, Volume<float> Image, Volume<bool> Truth, Volume<int>? OrganLabels);
