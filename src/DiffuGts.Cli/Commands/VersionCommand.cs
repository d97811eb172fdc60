using System.CommandLine;
using System.Reflection;

namespace DiffuGts.Cli.Commands;

/// <summary><c>diffugts version</c>: prints the product version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the DiffuGts version.");
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine($"diffugts {version}");
            return 0;
        });
        return command;
    }
}
