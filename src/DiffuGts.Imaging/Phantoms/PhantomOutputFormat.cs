namespace DiffuGts.Imaging.Phantoms;

/// <summary>How the image is written. The ground truth (labels, lesion mask, sidecar) is always NIfTI plus JSON.</summary>
[Flags]
public enum PhantomOutputFormat
{
    Dicom = 1,
    Nifti = 2,
    Both = Dicom | Nifti,
}
