using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Writes a phantom to a folder: <c>dicom/CT0001.dcm…</c> and/or <c>image.nii.gz</c> (int16 HU), and always the ground
/// truth <c>labels.nii.gz</c> (organ labels), <c>lesions.nii.gz</c> (lesion mask) and <c>phantom.json</c> (sidecar).
/// </summary>
public static class PhantomWriter
{
    public const string DicomFolder = "dicom";
    public const string ImageFile = "image.nii.gz";
    public const string LabelsFile = "labels.nii.gz";
    public const string LesionsFile = "lesions.nii.gz";
    public const string SidecarFile = "phantom.json";

    /// <returns>The paths written, relative to <paramref name="directory"/>.</returns>
    public static IReadOnlyList<string> Write(Phantom phantom, string directory, PhantomOutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        if (format.HasFlag(PhantomOutputFormat.Dicom))
        {
            written.AddRange(PhantomCtSeries.Write(phantom, Path.Combine(directory, DicomFolder)).Select(p => Path.GetRelativePath(directory, p)));
        }

        if (format.HasFlag(PhantomOutputFormat.Nifti))
        {
            var hu = new Volume<short>(phantom.Geometry, [.. phantom.Hu.Data.Select(v => (short)v)]);
            NiftiWriter.Write(Path.Combine(directory, ImageFile), hu, new NiftiWriteOptions { Description = "diffugts phantom HU" });
            written.Add(ImageFile);
        }

        NiftiWriter.Write(Path.Combine(directory, LabelsFile), phantom.Labels, new NiftiWriteOptions { Description = "diffugts phantom labels" });
        NiftiWriter.Write(Path.Combine(directory, LesionsFile), phantom.LesionMask, new NiftiWriteOptions { Description = "diffugts phantom lesions" });
        File.WriteAllBytes(Path.Combine(directory, SidecarFile), PhantomSidecar.ToJson(phantom));
        written.AddRange([LabelsFile, LesionsFile, SidecarFile]);
        return written;
    }
}
