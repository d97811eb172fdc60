using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>Where and how an SCU connects.</summary>
public sealed record DicomClientOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string CalledAeTitle { get; init; }

    public string CallingAeTitle { get; init; } = "DIFFUGTS";

    /// <summary>The Maximum Length we announce for P-DATA-TF PDUs we receive.</summary>
    public uint MaxPduLength { get; init; } = 131072;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>ARTIM for the A-ASSOCIATE-AC/RJ and A-RELEASE-RP waits.</summary>
    public TimeSpan AssociationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a DIMSE response.</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Use TLS (PS3.15 Annex B.1).</summary>
    public bool UseTls { get; init; }

    /// <summary>Name checked against the server certificate; defaults to <see cref="Host"/>.</summary>
    public string? TlsTargetHost { get; init; }

    /// <summary>Server certificate check; null uses the platform trust store and chain validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }
}
