using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Server;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Server;

/// <summary>TLS (PS3.15 Annex B.1) between our SCU and SCP, with a CA made in the test; an untrusted certificate is refused.</summary>
public sealed class TlsTests
{
    private static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pfx), null);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

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
