namespace DiffuGts.Imaging.Segmentation;

/// <summary>Which source slices get a secondary-capture overlay.</summary>
public enum OverlaySliceSelection
{
    /// <summary>Every slice where any segment has a voxel.</summary>
    AllWithFindings,

    /// <summary>Through the largest 26-connected lesion (all segments together): its first, largest-area and last slice.</summary>
    KeySlicesThroughLargestLesion,
}
