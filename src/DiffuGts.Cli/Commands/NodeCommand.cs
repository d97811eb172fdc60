using System.CommandLine;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Segmentation;
using Microsoft.Extensions.Hosting;

namespace DiffuGts.Cli.Commands;

/// <summary><c>diffugts node run</c>: the DICOM node as a console program, a systemd service or a Windows service.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var settings = new Option<string[]>("--set")
        {
            Description = "Configuration overrides as KEY=VALUE (e.g. --set Node:Port=104); they come last in the overlay order.",
            AllowMultipleArgumentsPerToken = true,
        };
        var run = new Command("run", "Run the node until stopped (Ctrl+C, SIGTERM, or the service manager).");
        run.Options.Add(settings);
        run.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = (parse.GetValue(settings) ?? []).Select(s => "--" + s).ToArray();
            var root = NodeConfiguration.FindContentRoot();
            using var host = NodeHost.Build(overrides, root, services => services.AddDiffuGtsSegmentation(root));
            await host.RunAsync(cancellationToken);
            return 0;
        });

        var command = new Command("node", "The DICOM node.");
        command.Subcommands.Add(run);
        return command;
    }
}
