using System.CommandLine;

namespace DiffuGts.Cli.Commands;

/// <summary>Every verb of the command line, in the order <c>--help</c> lists them. One line per verb.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return EchoCommand.Create();
        yield return SendCommand.Create();
    }
}
