using System.CommandLine;
using DiffuGts.Cli.Commands;

namespace DiffuGts.Cli;

/// <summary>The <c>diffugts</c> root command. Each verb lives in Commands/ as one class with a <c>Create</c> factory.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("DiffuGts: a DICOM node for zero-shot tumour segmentation with a frozen diffusion model.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        return await parse.InvokeAsync();
    }
}
