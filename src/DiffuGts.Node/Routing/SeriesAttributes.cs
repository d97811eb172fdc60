namespace DiffuGts.Node.Routing;

/// <summary>What routing looks at in a completed series: header values of its first instance and the association it came on.</summary>
public sealed record SeriesAttributes(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string Modality,
    string? BodyPartExamined,
    string? StudyDescription,
    string? SeriesDescription,
    string? Manufacturer,
    string CallingAeTitle,
    string CalledAeTitle);
