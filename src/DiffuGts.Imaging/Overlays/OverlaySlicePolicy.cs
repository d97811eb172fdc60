namespace DiffuGts.Imaging.Overlays;

/// <summary>Which slices get an overlay image.</summary>
public enum OverlaySlicePolicy
{
    /// <summary>Every slice where any segment has a voxel.</summary>
    AllWithFindings,

    /// <summary>For each segment, the slice where its largest lesion is widest, plus a few slices either side.</summary>
    KeySlices,
}
