using System.Diagnostics;
using System.Globalization;
using DiffuGts.Testing;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// DCMTK's storescu as a modality: sends files in one association and records, from its verbose log ("Sending file: …"
/// then "Received Store Response (Success)"), which files got a Success, so a test can resend only the rest after a
/// crash, as a modality's send queue would.
/// </summary>
internal sealed class StorescuModality : IDisposable
{
    private const string SendingPrefix = "Sending file: ";

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _acknowledged = [];
    private readonly List<string> _log = [];
    private string? _current;

    private StorescuModality(Process process) => _process = process;

    /// <summary>
    /// Starts sending <paramref name="files"/> to the node; <see cref="WaitAsync"/> for the end. To stop the node after a
    /// given number of responses, send through a <see cref="ResponseGate"/>.
    /// </summary>
    public static StorescuModality Start(int port, IEnumerable<string> files, string callingAe = "SCANNER")
    {
        var start = new ProcessStartInfo(Peers.Require("storescu"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-v", "-aet", callingAe, "-aec", NodeProcess.AeTitle, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        var process = new Process { StartInfo = start };
        var modality = new StorescuModality(process);
        process.OutputDataReceived += (_, e) => modality.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => modality.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return modality;
    }

    /// <summary>Sends and waits; the exit code is 0 only when every file got a Success.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Acknowledged, string Log)> SendAsync(int port, IEnumerable<string> files,
        string callingAe = "SCANNER")
    {
        using var modality = Start(port, files, callingAe);
        var exit = await modality.WaitAsync(TimeSpan.FromMinutes(2));
        return (exit, modality.Acknowledged, modality.Log);
    }

    /// <summary>The files the node answered with Success, in sending order.</summary>
    public IReadOnlyList<string> Acknowledged
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledged];
            }
        }
    }

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Add(line);
            var sending = line.IndexOf(SendingPrefix, StringComparison.Ordinal);
            if (sending >= 0)
            {
                _current = line[(sending + SendingPrefix.Length)..].Trim();
            }
            else if (line.Contains("Received Store Response (Success)", StringComparison.Ordinal) && _current is not null)
            {
                _acknowledged.Add(_current);
                _current = null;
            }
        }
    }
}
