using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Server;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary>
/// <c>diffugts echo</c> and <c>diffugts send</c> against our SCP on loopback: each outcome gets the exit code of
/// docs/conformance-statement.md §5 and a message that says what happened.
/// </summary>
public sealed class EchoSendCommandTests
{
    /// <summary>Our SCP answers only to DIFFUGTS and stores CT only, so MR instances have no presentation context.</summary>
    private static readonly DicomServerOptions ScpOptions = new()
    {
        Policy = new AssociationPolicyOptions { CalledAeTitles = ["DIFFUGTS"] },
        Negotiation = new NegotiationOptions { StorageSopClasses = [SopClassUids.CtImageStorage] },
    };

    private static string[] Peer(LoopbackServer scp, string calledAe = "DIFFUGTS") => Peer(scp.Port, calledAe);

    private static string[] Peer(int port, string calledAe = "DIFFUGTS") =>
        ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--called-ae", calledAe];

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Echo_OurScp_ExitsZeroAndPrintsSuccess()
    {
        await using var scp = await LoopbackServer.StartAsync(ScpOptions);

        var (code, output, error) = await CliRunner.RunAsync(["echo", .. Peer(scp)]);

        Assert.True(code == 0, error);
        Assert.Matches(@"^C-ECHO DIFFUGTS@127\.0\.0\.1:[0-9]+: .*Success.* in [0-9]+ ms", output);
    }

    [Fact]
    public async Task Send_AllInstancesStored_ExitsZeroWithOneLinePerInstance()
    {
        await using var scp = await LoopbackServer.StartAsync(ScpOptions);
        using var source = new TempDirectory();
        var files = new[] { 1, 2, 3 }.Select(i => SyntheticInstances.Write(source.Path, i)).ToList();
        await File.WriteAllTextAsync(source.Combine("README.txt"), "not DICOM"); // inside a folder: skipped, not a failure

        var (code, output, error) = await CliRunner.RunAsync(["send", .. Peer(scp), source.Path]);

        Assert.True(code == 0, error + output);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));
        Assert.Contains("3/3 stored, 1 skipped", output, StringComparison.Ordinal);
        Assert.Equal(files.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(scp.StoreDirectory, "*.dcm").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Send_OneSopClassRefused_ExitsOneAndNamesTheFailedInstance()
    {
        await using var scp = await LoopbackServer.StartAsync(ScpOptions);
        using var source = new TempDirectory();
        var ct = SyntheticInstances.Write(source.Path, 10);
        var mr = SyntheticInstances.Write(source.Path, 11, SyntheticInstances.MrImageStorage);

        var (code, output, error) = await CliRunner.RunAsync(["send", .. Peer(scp), ct, mr]);

        Assert.True(code == 1, error + output);
        Assert.Contains("OK    2.25.1000010 Stored", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  2.25.1000011 NoPresentationContext", output, StringComparison.Ordinal);
        Assert.Contains("1/2 stored, 0 skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NamedFileNotDicom_ExitsOneAndSaysWhySkipped()
    {
        await using var scp = await LoopbackServer.StartAsync(ScpOptions);
        using var source = new TempDirectory();
        var ct = SyntheticInstances.Write(source.Path, 20);
        var text = source.Combine("notes.txt");
        await File.WriteAllTextAsync(text, "this is not a DICOM file");

        var (code, output, error) = await CliRunner.RunAsync(["send", .. Peer(scp), ct, text]);

        Assert.True(code == 1, error + output);
        Assert.Contains($"SKIP  {text}: ", output, StringComparison.Ordinal);
        Assert.Contains("1/1 stored, 1 skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NoDicomFileAtAll_ExitsFive()
    {
        using var source = new TempDirectory();
        await File.WriteAllTextAsync(source.Combine("a.txt"), "text");

        var (code, _, error) = await CliRunner.RunAsync(["send", .. Peer(ClosedPort()), source.Path]);

        Assert.Equal(5, code);
        Assert.Contains("no DICOM Part 10 file found", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo", "C-ECHO failed: cannot connect to 127.0.0.1:")]
    [InlineData("send", "send failed: cannot connect to 127.0.0.1:")]
    public async Task EchoOrSend_PortClosed_ExitsTwoWithConnectionMessage(string verb, string message)
    {
        using var source = new TempDirectory();
        var file = SyntheticInstances.Write(source.Path, 30);
        var port = ClosedPort();

        var (code, _, error) = await CliRunner.RunAsync([verb, .. Peer(port), .. verb == "send" ? new[] { file } : []]);

        Assert.Equal(2, code);
        Assert.Contains(message + port.ToString(CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo", "C-ECHO failed: association rejected")]
    [InlineData("send", "send failed: association rejected")]
    public async Task EchoOrSend_WrongCalledAe_ExitsThreeWithRejectReason(string verb, string message)
    {
        await using var scp = await LoopbackServer.StartAsync(ScpOptions);
        using var source = new TempDirectory();
        var file = SyntheticInstances.Write(source.Path, 40);

        var (code, _, error) = await CliRunner.RunAsync([verb, .. Peer(scp, "NOTTHEM"), .. verb == "send" ? new[] { file } : []]);

        Assert.Equal(3, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("Permanent", error, StringComparison.Ordinal);
        Assert.Contains("called AE title not recognised", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(scp.Folder.Path, "*.dcm", SearchOption.AllDirectories));
    }
}
