using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using DiffuGts.Node.Health;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Storage;
using DiffuGts.Node.Tests.Options;
using DiffuGts.Testing;
using DiffuGts.Testing.Network;
using Xunit.Abstractions;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// The real node as a child process: the built CLI's <c>diffugts node run</c> with its own content root (the repository's
/// appsettings.json and config/ copied, routing optionally replaced), free DICOM and health ports, and overrides through
/// <c>--set</c>. The spool lives with this object, so <see cref="KillAsync"/> (SIGKILL of the whole tree) and
/// <see cref="StartAsync"/> again is a crash and restart on the same durable state. Console lines are kept across runs
/// for assertions, and a kill can be armed on a log line so it lands in a phase without sleeping.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    public const string AeTitle = "DIFFUGTS";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new("diffugts-node-e2e");
    private readonly IReadOnlyList<string> _settings;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly HttpClient _health;
    private Process? _process;
    private (Func<string, bool> Match, TaskCompletionSource<string> Killed)? _killTrigger;

    /// <param name="modelDirectory">A model package folder, relative to the repository root or absolute.</param>
    /// <param name="pacsPort">DICOM port of the peer named PACS in config/routing.json.</param>
    /// <param name="routingJson">Replaces config/routing.json when given (the PACS port is still set).</param>
    /// <param name="settings">Further KEY=VALUE overrides, last in the overlay order.</param>
    public NodeProcess(string modelDirectory, int pacsPort, string? routingJson = null, IEnumerable<string>? settings = null)
    {
        var repository = NodeSettingsValidatorTests.FindRepositoryRoot();
        var content = Directory.CreateDirectory(_dir.Combine("content")).FullName;
        Directory.CreateDirectory(Path.Combine(content, "config"));
        File.Copy(Path.Combine(repository, "appsettings.json"), Path.Combine(content, "appsettings.json"));
        File.Copy(Path.Combine(repository, "config", "prompts.json"), Path.Combine(content, "config", "prompts.json"));
        var routing = Path.Combine(content, "config", "routing.json");
        if (routingJson is null)
        {
            File.Copy(Path.Combine(repository, "config", "routing.json"), routing);
        }
        else
        {
            File.WriteAllText(routing, routingJson);
        }

        ContentRoot = content;
        DicomPort = LoopbackPorts.Free();
        HealthPort = LoopbackPorts.Free();
        Spool = new SpoolPaths(_dir.Combine("spool"));
        _health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HealthPort}/") };
        _settings =
        [
            $"Node:Port={DicomPort}", "Node:BindAddress=127.0.0.1", $"Health:HttpPort={HealthPort}", $"Storage:Root={Spool.Root}",
            "Storage:SeriesIdleTimeout=00:00:02", $"Logging:Folder={_dir.Combine("logs")}",
            $"Inference:ModelDirectory={NodeServices.ResolvePath(repository, modelDirectory)}", "Inference:ExecutionProviders:0=cpu",
            "Inference:IntraOpThreads=2",
            $"Peers:PACS:Port={pacsPort}", "Peers:PACS:Host=127.0.0.1", $"Peers:PACS:AeTitle={OrthancProcess.AeTitle}",
            "Export:InitialDelay=00:00:01", "Export:MaxDelay=00:00:02", "Export:CircuitBreakDuration=00:00:02",
            .. settings ?? [],
        ];
    }

    public string ContentRoot { get; }

    public int DicomPort { get; }

    public int HealthPort { get; }

    public SpoolPaths Spool { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Every console line of every run so far, in order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The CLI as built next to this test assembly's configuration (src/DiffuGts.Cli/bin/{Configuration}/net10.0).</summary>
    public static string CliAssembly()
    {
        var configuration = typeof(NodeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(NodeSettingsValidatorTests.FindRepositoryRoot(), "src", "DiffuGts.Cli", "bin", configuration, framework, "diffugts.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the CLI is not built (dotnet build src/DiffuGts.Cli)", path);
    }

    /// <summary>Starts the node and returns once its DICOM listener is up; a node that exits first fails with its output.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the node is running");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Peers.Require("dotnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ContentRoot,
        };
        start.ArgumentList.Add(CliAssembly());
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("run");
        foreach (var setting in _settings)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(setting);
        }

        start.Environment[NodeConfiguration.EnvironmentPrefix + "CONTENT_ROOT"] = ContentRoot;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var run = Lines.Count;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!Lines.Skip(run).Any(l => l.Contains("DICOM listener for", StringComparison.Ordinal)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the node did not start listening (exited: {process.HasExited}):\n{Tail()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>kill -9 of the node (and anything it started); the spool stays for the next <see cref="StartAsync"/>.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        Kill();
        await _process.WaitForExitAsync();
        _process.WaitForExit(); // drains the redirected output
    }

    /// <summary>kill -9 now, without waiting for the exit (<see cref="KillAsync"/> waits).</summary>
    private void Kill()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// Arms a kill -9 that fires from the output reader the moment a console line matches, so the kill lands in the phase
    /// that line announces. The task completes with the matching line once the node is dead.
    /// </summary>
    public Task<string> KillOnLine(Func<string, bool> match)
    {
        var killed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _killTrigger = (match, killed);
        }

        return killed.Task;
    }

    /// <summary>Waits for a console line (of any run so far) that matches.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        await WaitUntilAsync(lines => lines.Any(match), timeout);
        return Lines.First(match);
    }

    /// <summary>Waits until the console lines so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Lines))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the node's log did not reach the awaited state within {timeout}:\n{Tail()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits for "delivered to PACS" among the lines logged after the first <paramref name="fromLine"/> lines, then for
    /// every job record to reach its end (the record is written just after that line).
    /// </summary>
    public async Task WaitForDeliveryAsync(int fromLine, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await WaitUntilAsync(lines => lines.Skip(fromLine).Any(l => l.Contains("delivered to PACS", StringComparison.Ordinal)), timeout);
        while ((await JobsAsync()).Any(j => j.State is not (JobState.Exported or JobState.Failed)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"jobs did not end within {timeout}:\n{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The node's /health report.</summary>
    public async Task<HealthReport> HealthAsync() =>
        await _health.GetFromJsonAsync<HealthReport>("health", HealthReport.JsonOptions)
        ?? throw new InvalidOperationException("empty health report");

    /// <summary>The durable job records, read the way the node reads them.</summary>
    public Task<IReadOnlyList<JobRecord>> JobsAsync() => new JobStore(Spool, flushToDisk: false).ListAsync(CancellationToken.None);

    /// <summary>The acknowledged instance files of a series in the spool.</summary>
    public IReadOnlyList<string> SpoolInstances(string studyUid, string seriesUid) =>
        new InstanceSpool(Spool, flushToDisk: false).InstanceFiles(studyUid, seriesUid);

    /// <summary>Writes the node's console lines (with the test's elapsed seconds) to the test output when disposed.</summary>
    public IDisposable CopyLogTo(ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        var from = Lines.Count;
        return new LogCopy(() => output.WriteLine($"node log ({clock.Elapsed.TotalSeconds:F1} s into the test):\n{string.Join('\n', Lines.Skip(from))}"));
    }

    /// <summary>The last console lines, for failure messages.</summary>
    public string Tail(int count = 60) => string.Join('\n', Lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _health.Dispose();
        _dir.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource<string>? fire = null;
        lock (_gate)
        {
            _lines.Add(line);
            if (_killTrigger is { } trigger && trigger.Match(line))
            {
                fire = trigger.Killed;
                _killTrigger = null;
            }
        }

        if (fire is not null)
        {
            Kill();
            fire.TrySetResult(line);
        }
    }

    /// <summary>Formats a count for a log-line match.</summary>
    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class LogCopy(Action write) : IDisposable
    {
        public void Dispose() => write();
    }
}
