namespace DiffuGts.Node.Assembly;

/// <summary>A series as the node tracks it: per called AE, so two AEs of one node never merge their series.</summary>
public readonly record struct SeriesKey(string CalledAeTitle, string StudyInstanceUid, string SeriesInstanceUid)
{
    public override string ToString() => $"{CalledAeTitle}/{StudyInstanceUid}/{SeriesInstanceUid}";
}
