using DiffuGts.Dicom;

namespace DiffuGts.Imaging.Series;

/// <summary>
/// One series found in a study folder: its identity, its instances, and why it is not a CT/MR volume to segment
/// (<see cref="SkipReason"/>; null when it is one). Built by <see cref="SeriesSelector"/>.
/// </summary>
public sealed record SeriesCandidate(
    string SeriesInstanceUid,
    string StudyInstanceUid,
    int? SeriesNumber,
    string Modality,
    string Description,
    IReadOnlyList<DicomFile> Instances,
    string? SkipReason)
{
    public bool IsVolume => SkipReason is null;
}
