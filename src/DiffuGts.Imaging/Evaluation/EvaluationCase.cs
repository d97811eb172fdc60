namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// One evaluation case as found on disk (docs/evaluation.md, "Dataset layouts").
/// </summary>
/// <param name="Id">Case id: the folder name (benchmark layout) or the label file name without extension (MSD / nnU-Net).</param>
/// <param name="ImagePath">The image NIfTI (CT in HU).</param>
/// <param name="LabelPath">The ground-truth label NIfTI.</param>
/// <param name="LesionLabelValues">Label values in <paramref name="LabelPath"/> that are lesion; empty means every non-zero value.</param>
/// <param name="OrganLabelsPath">Organ label NIfTI (each non-zero value one organ), or null when the dataset has none.</param>
/// <param name="LesionOrganLabel">
/// When the organ labels come from the same file as the lesion (MSD: 1 liver, 2 cancer), the organ label lesion voxels are
/// folded into, so the organ mask covers its lesions; null otherwise.
/// </param>
/// <param name="Organ">Target organ name.</param>
/// <param name="LesionKind">Lesion kind (e.g. "hypodense metastasis"; MSD: the lesion label names).</param>
/// <param name="Category">"seen" or "unseen" tumour type for the model, or "unspecified".</param>
/// <param name="Prompt">The text prompt a prompted method receives.</param>
public sealed record EvaluationCase(
    string Id,
    string ImagePath,
    string LabelPath,
    IReadOnlyList<int> LesionLabelValues,
    string? OrganLabelsPath,
    int? LesionOrganLabel,
    string Organ,
    string LesionKind,
    string Category,
    string Prompt)
{
    /// <summary>
    /// The organ-label values that make up <see cref="Organ"/> (the target organ a prompt names); empty means every
    /// non-zero organ label (MSD, whose label file holds only the target organ).
    /// </summary>
    public IReadOnlyList<int> TargetOrganLabelValues { get; init; } = [];
}
