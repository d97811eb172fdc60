using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>A placed lesion as recorded in the sidecar: its value in the lesion mask, where it is and what it measures.</summary>
/// <param name="MaskValue">The lesion's voxel value in the lesion mask (1, 2, … in request order).</param>
/// <param name="Organ">The organ label it lies in (kidney lesions say <see cref="PhantomLabel.KidneyCortex"/>).</param>
/// <param name="Centre">Centre of its mask voxels, patient LPS mm.</param>
/// <param name="VolumeMl">Mask voxel count × voxel volume.</param>
/// <param name="MeanHu">Mean of the final image over the mask.</param>
/// <param name="Kind">The requested appearance.</param>
/// <param name="NominalRadiusMm">Mean semi-axis of the shape before deformation.</param>
/// <param name="VoxelCount">Number of mask voxels.</param>
public sealed record PhantomLesion(
    byte MaskValue, PhantomLabel Organ, LesionKind Kind, Vector3D Centre, double VolumeMl, double MeanHu, double NominalRadiusMm, int VoxelCount);
