using System.CommandLine;
using DiffuGts.Cli.Commands;

namespace DiffuGts.Cli;

/// <summary>The <c>diffugts</c> root command. Each verb lives in Commands/ as one class with a <c>Create</c> factory.</summary>
internal static class CliApplication
{
    /// <summary>Runs one command line; <paramref name="output"/> and <paramref name="error"/> default to the console.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("DiffuGts: a DICOM node for zero-shot tumour segmentation with a frozen diffusion model.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration();
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        return await parse.InvokeAsync(configuration);
    }
}
