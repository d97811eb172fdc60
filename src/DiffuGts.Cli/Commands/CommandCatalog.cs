using System.CommandLine;

namespace DiffuGts.Cli.Commands;

/// <summary>Every verb of the command line, in the order <c>--help</c> lists them. One line per verb.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return NodeCommand.Create();
        yield return HealthCommand.Create();
        yield return ConfigCommand.Create();
        yield return PhantomCommand.Create();
        yield return DumpCommand.Create();
        yield return SegmentCommand.Create();
        yield return EmbedPromptsCommand.Create();
        yield return EvalCommand.Create();
        yield return EchoCommand.Create();
        yield return SendCommand.Create();
    }
}
