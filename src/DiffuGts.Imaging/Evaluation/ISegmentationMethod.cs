namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// A segmentation method that <c>diffugts eval</c> runs side by side with others. Implementations: the organ-wise
/// intensity-outlier baseline (<see cref="OrganIntensityOutlierMethod"/>) here; the diffusion-based methods wrap the
/// inference pipeline in the Inference project (which may reference Imaging) and register in the CLI's eval catalogue.
/// </summary>
public interface ISegmentationMethod
{
    /// <summary>Short stable name used in folders, CSV and tables (e.g. "organ-intensity-outlier").</summary>
    string Name { get; }

    /// <summary>Version of the method's code or settings, recorded per case.</summary>
    string Version { get; }

    /// <summary>Version of the model package used, or null for methods without a model.</summary>
    string? ModelPackageVersion { get; }

    /// <summary>Segments one case; must not read <see cref="EvaluationCaseInput.Truth"/>.</summary>
    Task<SegmentationOutput> SegmentAsync(EvaluationCaseInput input, int seed, CancellationToken cancellationToken);
}
