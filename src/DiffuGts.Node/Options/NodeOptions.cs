namespace DiffuGts.Node.Options;

/// <summary>The listener: who we are on the network and whom we accept (section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Node";

    /// <summary>Our called AE title (PS3.8 §7.1.1.4): at most 16 characters of the default repertoire, no backslash.</summary>
    public string AeTitle { get; set; } = "DIFFUGTS";

    /// <summary>TCP port of the C-STORE / C-ECHO SCP. 104 and 11112 are the registered DICOM ports.</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Address to bind; "0.0.0.0" for every interface, "127.0.0.1" for loopback only.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Associations served at once; the next caller gets A-ASSOCIATE-RJ (transient, local limit exceeded).</summary>
    public int MaxAssociations { get; set; } = 32;

    /// <summary>Maximum PDU length we announce and accept, in bytes (PS3.8 §D.1).</summary>
    public int MaxPduLength { get; set; } = 262_144;

    /// <summary>Calling AE titles allowed to associate; empty allows any caller.</summary>
    public IList<string> AcceptedCallingAeTitles { get; } = [];

    /// <summary>Source IP addresses allowed to connect (single addresses); empty allows any address.</summary>
    public IList<string> AllowedSourceAddresses { get; } = [];

    /// <summary>An association idle this long is aborted.</summary>
    public TimeSpan AssociationIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest data set accepted in one C-STORE, in bytes; larger ones are refused with out-of-resources (A700).</summary>
    public long MaxDatasetBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
