namespace DiffuGts.Imaging.Segmentation;

/// <summary>What to send when no segment has a single voxel.</summary>
public enum NoFindingsBehavior
{
    /// <summary>Create nothing (<see cref="SegmentationWriter.Create"/> returns null): PACS sees no new series.</summary>
    SendNothing,

    /// <summary>
    /// Create a SEG whose segments each carry one empty frame on the middle source slice and whose Content Description and
    /// Series Description say "no findings", so the reader sees the study was processed.
    /// </summary>
    SendEmptySegmentation,
}
