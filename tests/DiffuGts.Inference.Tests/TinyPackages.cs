using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests;

/// <summary>
/// Tiny random-weight model packages to docs/model-package.md, exported once per test run by
/// Fixtures/make_tiny_package.py with Debian's torch (tests that use them are <c>[CachedPythonFact("torch", "onnx")]</c>).
/// </summary>
internal static class TinyPackages
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"diffugts-tiny-{Environment.ProcessId}");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();

    public static string Get(string scheduler = "ddim", string promptMode = "lexicon", bool nanEncoder = false)
    {
        var key = $"{scheduler}-{promptMode}{(nanEncoder ? "-nan" : "")}";
        return Built.GetOrAdd(key, k => new Lazy<string>(() => Build(k, scheduler, promptMode, nanEncoder))).Value;
    }

    /// <summary>A private copy that a test may break, with an optional edit of its manifest.</summary>
    public static void CopyTo(string source, string destination, Action<JsonObject>? editManifest = null)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }

        if (editManifest is not null)
        {
            var path = Path.Combine(destination, "manifest.json");
            var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            editManifest(manifest);
            File.WriteAllText(path, manifest.ToJsonString());
        }
    }

    private static string Build(string key, string scheduler, string promptMode, bool nanEncoder)
    {
        var output = Path.Combine(Root, key);
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "make_tiny_package.py");
        List<string> arguments = [script, output, "--scheduler", scheduler, "--prompt-mode", promptMode];
        if (nanEncoder)
        {
            arguments.Add("--nan-encoder");
        }

        var result = ProcessRunner.Run(Peers.DebianPython, arguments, TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"make_tiny_package.py failed: {result.StandardError}");
        }

        return output;
    }
}
