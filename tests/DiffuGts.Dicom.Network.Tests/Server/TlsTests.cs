using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Server;

/// <summary>TLS (PS3.15 Annex B.1) between our SCU and SCP, with a CA made in the test; an untrusted certificate is refused.</summary>
public sealed class TlsTests
{
    private static X509Certificate2 CreateCa(string name) => TestCertificates.CreateCa(name);

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject) => TestCertificates.Issue(ca, subject);

    /// <summary>Chain validation against one trusted root only (not the machine store).</summary>
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 root) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };

    [Fact]
    public async Task Echo_TlsWithTrustedCaAndClientCertificate_Succeeds()
    {
        using var ca = CreateCa("DiffuGts Test CA");
        using var serverCert = Issue(ca, "localhost");
        using var clientCert = Issue(ca, "scu");
        var options = new DicomServerOptions
        {
            TlsCertificate = serverCert,
            RequireClientCertificate = true,
            ClientCertificateValidation = TrustOnly(ca),
        };
        await using var scp = await LoopbackServer.StartAsync(options);

        var status = await EchoScu.EchoAsync(scp.Client() with
        {
            UseTls = true,
            TlsTargetHost = "localhost",
            ServerCertificateValidation = TrustOnly(ca),
            ClientCertificate = clientCert,
        }, CancellationToken.None);

        Assert.Equal(DimseStatus.Success, status);
    }

    [Fact]
    public async Task Echo_ServerCertificateFromUntrustedCa_RefusedAsConnectionFailure()
    {
        using var ca = CreateCa("DiffuGts Test CA");
        using var rogueCa = CreateCa("Rogue CA");
        using var serverCert = Issue(rogueCa, "localhost");
        await using var scp = await LoopbackServer.StartAsync(new DicomServerOptions { TlsCertificate = serverCert });

        await Assert.ThrowsAsync<DicomConnectionException>(() => EchoScu.EchoAsync(scp.Client() with
        {
            UseTls = true,
            TlsTargetHost = "localhost",
            ServerCertificateValidation = TrustOnly(ca),
        }, CancellationToken.None));
    }

    [Fact]
    public async Task Echo_ClientWithoutCertificateWhenRequired_Refused()
    {
        using var ca = CreateCa("DiffuGts Test CA");
        using var serverCert = Issue(ca, "localhost");
        var options = new DicomServerOptions { TlsCertificate = serverCert, RequireClientCertificate = true, ClientCertificateValidation = TrustOnly(ca) };
        await using var scp = await LoopbackServer.StartAsync(options);

        var ex = await Record.ExceptionAsync(() => EchoScu.EchoAsync(scp.Client() with
        {
            UseTls = true,
            TlsTargetHost = "localhost",
            ServerCertificateValidation = TrustOnly(ca),
        }, CancellationToken.None));

        Assert.True(ex is DicomConnectionException or AssociationAbortedException, ex?.ToString());
    }
}
