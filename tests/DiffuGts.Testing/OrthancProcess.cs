using System.Diagnostics;
using System.Text.Json;
using DiffuGts.Testing.Network;

namespace DiffuGts.Testing;

/// <summary>
/// A private Orthanc (Debian's package) for one test: free ports, a generated configuration in a temporary folder,
/// REST on 127.0.0.1, no authentication, killed on dispose. The PACS peer of the interop tests. It can be stopped and
/// started again on the same ports and storage, as a PACS that goes down for maintenance.
/// </summary>
public sealed class OrthancProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/Orthanc";

    private readonly string _configPath;
    private readonly TempDirectory _work;
    private Process? _process;

    private OrthancProcess(string configPath, TempDirectory work, int httpPort, int dicomPort)
    {
        _configPath = configPath;
        _work = work;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
    }

    public int DicomPort { get; }

    /// <summary>Orthanc's REST API (relative paths such as "instances", "series/{id}").</summary>
    public HttpClient Http { get; }

    public const string AeTitle = "ORTHANC";

    /// <summary>Starts Orthanc; <paramref name="modalities"/> are the peers it may send to (name → AE, host, port).</summary>
    public static async Task<OrthancProcess> StartAsync(IReadOnlyDictionary<string, (string Ae, string Host, int Port)>? modalities = null)
    {
        var work = new TempDirectory("diffugts-orthanc");
        var httpPort = LoopbackPorts.Free();
        var dicomPort = LoopbackPorts.Free();
        var config = new Dictionary<string, object>
        {
            ["Name"] = "DiffuGtsInterop",
            ["StorageDirectory"] = work.Combine("storage"),
            ["IndexDirectory"] = work.Combine("index"),
            ["HttpPort"] = httpPort,
            ["DicomPort"] = dicomPort,
            ["DicomAet"] = AeTitle,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["Plugins"] = Array.Empty<string>(),
            ["DicomModalities"] = (modalities ?? new Dictionary<string, (string, string, int)>())
                .ToDictionary(m => m.Key, m => (object)new object[] { m.Value.Ae, m.Value.Host, m.Value.Port }),
        };
        var configPath = work.Combine("orthanc.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
        var orthanc = new OrthancProcess(configPath, work, httpPort, dicomPort);
        await orthanc.StartAgainAsync();
        return orthanc;
    }

    /// <summary>Starts the stopped Orthanc again with the same configuration, storage and ports.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Orthanc is running");
        }

        var process = Process.Start(new ProcessStartInfo(Peers.Require(Binary), [_configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Orthanc did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitForRestAsync();
    }

    /// <summary>Kills Orthanc (its storage stays); <see cref="StartAgainAsync"/> brings it back.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        _work.Dispose();
    }

    private async Task WaitForRestAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await Http.GetAsync("system");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("Orthanc REST API did not come up within 30 s");
    }
}
