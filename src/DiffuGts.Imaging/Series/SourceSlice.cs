using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Series;

/// <summary>
/// The source image behind slice k of a built volume: its SOP class and instance, the 1-based frame number when the source
/// is multi-frame (Enhanced CT/MR; null for single-frame images) and its Image Position (Patient).
/// </summary>
public sealed record SourceSlice(string SopClassUid, string SopInstanceUid, int? FrameNumber, Vector3D Position);
