using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>Reads a case's NIfTI files into an <see cref="EvaluationCaseInput"/>; grids that disagree raise <see cref="InvalidDataException"/>.</summary>
public static class EvaluationCaseLoader
{
    public static EvaluationCaseInput Load(EvaluationCase evaluationCase)
    {
        ArgumentNullException.ThrowIfNull(evaluationCase);
        var image = NiftiReader.Read(evaluationCase.ImagePath).ToFloatVolume();
        var labels = ToLabels(NiftiReader.Read(evaluationCase.LabelPath).ToFloatVolume());
        Require(image.Geometry, labels.Geometry, evaluationCase.LabelPath);
        var lesionValues = evaluationCase.LesionLabelValues.ToHashSet();
        var truth = labels.Map(v => v != 0 && (lesionValues.Count == 0 || lesionValues.Contains(v)));

        Volume<int>? organs = null;
        if (evaluationCase.OrganLabelsPath is { } organPath)
        {
            organs = organPath == evaluationCase.LabelPath ? labels : ToLabels(NiftiReader.Read(organPath).ToFloatVolume());
            Require(image.Geometry, organs.Geometry, organPath);
            if (organPath == evaluationCase.LabelPath)
            {
                // MSD style: lesion voxels belong to the organ (liver ∪ cancer); without one organ label they are not organ.
                var fold = evaluationCase.LesionOrganLabel ?? 0;
                organs = organs.Map(v => lesionValues.Contains(v) ? fold : v);
            }
        }

        return new EvaluationCaseInput(evaluationCase, image, truth, organs);
    }

    private static Volume<int> ToLabels(Volume<float> volume) => volume.Map(v => (int)Math.Round(v));

    private static void Require(VolumeGeometry image, VolumeGeometry other, string path)
    {
        if (image.SizeX != other.SizeX || image.SizeY != other.SizeY || image.SizeZ != other.SizeZ ||
            (image.Spacing - other.Spacing).Length > 1e-3)
        {
            throw new InvalidDataException(
                $"{path}: grid {other.SizeX}×{other.SizeY}×{other.SizeZ} at {other.Spacing} mm differs from the image's " +
                $"{image.SizeX}×{image.SizeY}×{image.SizeZ} at {image.Spacing} mm");
        }
    }
}
