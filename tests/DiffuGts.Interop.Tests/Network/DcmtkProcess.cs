using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;

namespace DiffuGts.Interop.Tests.Network;

/// <summary>A DCMTK server process (storescp) kept running for a test, killed on dispose.</summary>
internal sealed class DcmtkProcess : IDisposable
{
    private readonly Process _process;

    private DcmtkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts storescp on a free port writing into <paramref name="outputDirectory"/>, and waits until it listens.</summary>
    public static DcmtkProcess StartStorescp(string outputDirectory, string aeTitle = "STORESCP", params string[] extra)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(Peers.Require("storescp"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-aet", aeTitle, "-od", outputDirectory, .. extra, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("storescp did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new DcmtkProcess(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return peer;
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    break;
                }

                Thread.Sleep(50);
            }
        }

        peer.Dispose();
        throw new InvalidOperationException($"storescp did not listen on {port}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
