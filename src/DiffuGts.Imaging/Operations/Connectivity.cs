namespace DiffuGts.Imaging.Operations;

/// <summary>Which neighbours of a voxel touch it: the 6 face neighbours, or all 26 (faces, edges and corners).</summary>
public enum Connectivity
{
    Faces6 = 6,
    Full26 = 26,
}
