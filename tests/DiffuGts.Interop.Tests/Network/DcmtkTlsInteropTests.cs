using System.Globalization;
using System.Net;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Interop.Tests.Network;

/// <summary>DCMTK's TLS client (echoscu +tla +cf) against our TLS SCP: a trusted CA connects, an untrusted one is refused.</summary>
[Trait("Layer", "Interop")]
public sealed class DcmtkTlsInteropTests
{
    [PeerTheory("echoscu")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EchoscuTls_ServerCertificateTrustedOrNot_ConnectsOnlyWhenTrusted(bool trusted)
    {
        using var folder = new TempDirectory("diffugts-tls");
        using var ca = TestCertificates.CreateCa("DiffuGts Test CA");
        using var otherCa = TestCertificates.CreateCa("Other CA");
        using var serverCert = TestCertificates.Issue(ca, "localhost");
        var (caPem, _) = TestCertificates.WritePem(trusted ? ca : otherCa, folder.Path, "ca");
        await using var server = new DicomServer(
            new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0, TlsCertificate = serverCert, ArtimTimeout = TimeSpan.FromSeconds(5) },
            new Part10FileStoreHandler(folder.Combine("received")));
        await server.StartAsync(CancellationToken.None);

        var result = await Task.Run(() => ProcessRunner.Run(Peers.Require("echoscu"),
            ["-aec", "DIFFUGTS", "+tla", "+cf", caPem, "127.0.0.1", server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(60)));

        Assert.True((result.ExitCode == 0) == trusted, $"exit {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
    }
}
