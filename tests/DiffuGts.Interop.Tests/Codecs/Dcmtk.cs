using DiffuGts.Testing;

namespace DiffuGts.Interop.Tests.Codecs;

/// <summary>Runs a DCMTK tool for the codec interop tests and fails with its output when it fails.</summary>
internal static class Dcmtk
{
    public static string Run(string tool, params string[] arguments)
    {
        var result = ProcessRunner.Run(Peers.Require(tool), arguments, TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }
}
