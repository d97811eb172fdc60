using System.Diagnostics;

namespace DiffuGts.Testing;

/// <summary>
/// Finds the real interop peers (DCMTK, dicom3tools, Orthanc, Debian's Python) on this machine. STYLE §8.4: where a peer
/// is absent a test is skipped with a stated reason, except under <c>CI=true</c>, where the test runs and fails.
/// </summary>
public static class Peers
{
    /// <summary>Debian's interpreter: the one with python3-torch, pydicom and nibabel. The first python3 on PATH is another.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? Find(string executable)
    {
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The full path of a peer, or a failed assertion that names it (used inside a test that is not skipped).</summary>
    public static string Require(string executable) =>
        Find(executable) ?? throw new InvalidOperationException(
            $"interop peer '{executable}' is not installed; scripts/setup.sh installs it (CI=true makes this a failure, not a skip)");

    /// <summary>True when Debian's Python can import every named module.</summary>
    public static bool HasPythonModules(params string[] modules)
    {
        if (!File.Exists(DebianPython))
        {
            return false;
        }

        var result = ProcessRunner.Run(DebianPython, ["-c", "import " + string.Join(", ", modules)], TimeSpan.FromSeconds(60));
        return result.ExitCode == 0;
    }

    /// <summary>A skip reason for a missing peer, or null when the test must run (peer present, or CI).</summary>
    internal static string? SkipReason(string[] executables, string[] pythonModules)
    {
        if (IsCi)
        {
            return null;
        }

        var missing = executables.Where(e => Find(e) is null).ToList();
        if (pythonModules.Length > 0 && !HasPythonModules(pythonModules))
        {
            missing.Add($"{DebianPython} with {string.Join(", ", pythonModules)}");
        }

        return missing.Count == 0 ? null : $"interop peer not installed: {string.Join(", ", missing)} (run scripts/setup.sh)";
    }
}

/// <summary>Result of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a peer with arguments (no shell), captures its output and kills it past a time limit.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                start.Environment[k] = v;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
