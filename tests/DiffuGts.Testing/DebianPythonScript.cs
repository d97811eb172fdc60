using System.Text.Json;

namespace DiffuGts.Testing;

/// <summary>Runs a short script under Debian's Python (pydicom, nibabel, numpy) and parses the JSON it prints.</summary>
public static class DebianPythonScript
{
    public static JsonElement Run(string script, params string[] arguments)
    {
        var result = ProcessRunner.Run(Peers.DebianPython, ["-c", script, .. arguments], TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"python failed ({result.ExitCode}): {result.StandardError}");
        }

        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.Clone();
    }

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];
}
