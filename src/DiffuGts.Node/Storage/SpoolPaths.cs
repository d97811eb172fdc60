namespace DiffuGts.Node.Storage;

/// <summary>
/// The spool's folder layout (ADR 0002). UIDs and AE titles become path segments only after <see cref="SafeSegment"/>
/// has checked them, so a hostile SOP Instance UID such as "../../etc" can never leave the spool.
/// </summary>
public sealed class SpoolPaths
{
    public SpoolPaths(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Temporary => Path.Combine(Root, "tmp");

    public string Instances => Path.Combine(Root, "instances");

    public string Series => Path.Combine(Root, "series");

    public string Jobs => Path.Combine(Root, "jobs");

    public string Results => Path.Combine(Root, "results");

    public string Outbox => Path.Combine(Root, "outbox");

    public string SeriesFolder(string studyUid, string seriesUid) =>
        Path.Combine(Instances, SafeSegment(studyUid), SafeSegment(seriesUid));

    public string InstanceFile(string studyUid, string seriesUid, string sopInstanceUid) =>
        Path.Combine(SeriesFolder(studyUid, seriesUid), SafeSegment(sopInstanceUid) + ".dcm");

    public string SeriesRecord(string calledAe, string studyUid, string seriesUid) =>
        Path.Combine(Series, SafeSegment(calledAe), SafeSegment(studyUid), SafeSegment(seriesUid) + ".json");

    public void EnsureCreated()
    {
        foreach (var d in new[] { Temporary, Instances, Series, Jobs, Results, Outbox })
        {
            Directory.CreateDirectory(d);
        }
    }

    /// <summary>
    /// A UID (PS3.5 §9.1: digits and dots, at most 64 characters) or an AE title (trimmed, letters, digits, '-', '_',
    /// '.', space) as one path segment. Anything else is refused with <see cref="ArgumentException"/>.
    /// </summary>
    public static string SafeSegment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim().TrimEnd('\0');
        if (v.Length is 0 or > 64 || v is "." or ".." ||
            v.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ' ')))
        {
            throw new ArgumentException($"'{value}' cannot name a spool folder (a UID is digits and dots, at most 64 characters)", nameof(value));
        }

        return v;
    }
}
