using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DiffuGts.Dicom.Network.Negotiation;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>Settings of the C-STORE/C-ECHO SCP. Sizes in bytes, durations as <see cref="TimeSpan"/>.</summary>
public sealed record DicomServerOptions
{
    public string AeTitle { get; init; } = "DIFFUGTS";

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>0 picks a free port (tests); read the bound one from <see cref="DicomServer.LocalEndPoint"/>.</summary>
    public int Port { get; init; } = 104;

    /// <summary>The Maximum Length we announce and enforce for incoming P-DATA-TF PDUs (PS3.8 Annex D.1).</summary>
    public uint MaxPduLength { get; init; } = 131072;

    /// <summary>ARTIM (PS3.8 §9.1.5): how long a new connection may take to send its A-ASSOCIATE-RQ, and the wait for close.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An established association with no complete PDU for this long is aborted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public NegotiationOptions Negotiation { get; init; } = new();

    /// <summary>
    /// Who may connect. When <see cref="AssociationPolicyOptions.CalledAeTitles"/> is empty any called AE title is answered.
    /// </summary>
    public AssociationPolicyOptions Policy { get; init; } = new();

    /// <summary>A data set larger than this is refused with A700 (out of resources); the rest of it is discarded.</summary>
    public long MaxDataSetBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>An association that has sent more than this in total gets A700 for every further instance.</summary>
    public long MaxAssociationBytes { get; init; } = 256L * 1024 * 1024 * 1024;

    /// <summary>The node's disk-pressure signal; true makes new associations get a transient reject.</summary>
    public Func<bool>? DiskPressure { get; init; }

    /// <summary>Server certificate; when set, every connection is TLS (PS3.15 Annex B.1).</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    public bool RequireClientCertificate { get; init; }

    /// <summary>Client certificate check; null uses the platform chain validation.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }
}
