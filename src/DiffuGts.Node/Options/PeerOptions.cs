namespace DiffuGts.Node.Options;

/// <summary>A DICOM peer we send results to (an entry of section <c>Peers</c>, keyed by a name routes refer to).</summary>
public sealed class PeerOptions
{
    public const string SectionName = "Peers";

    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;

    /// <summary>Use DICOM TLS (PS3.15 Annex B) to this peer.</summary>
    public bool UseTls { get; set; }

    /// <summary>Associations opened to this peer at once.</summary>
    public int MaxConcurrentAssociations { get; set; } = 2;
}
