namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// How <see cref="NiftiWriter"/> writes a file. <see cref="ScaleSlope"/> and <see cref="ScaleIntercept"/> are recorded in
/// the header (real = slope·stored + intercept); the voxels are written as given, never rescaled.
/// </summary>
public sealed record NiftiWriteOptions
{
    public double ScaleSlope { get; init; } = 1.0;

    public double ScaleIntercept { get; init; }

    /// <summary>The header's <c>descrip</c> (ASCII, at most 79 characters are kept).</summary>
    public string Description { get; init; } = "DiffuGts";

    /// <summary>Force gzip; null means "when the path ends with .gz" (stream overloads: no compression).</summary>
    public bool? Compress { get; init; }
}
