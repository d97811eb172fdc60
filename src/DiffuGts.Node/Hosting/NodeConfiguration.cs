using Microsoft.Extensions.Configuration;

namespace DiffuGts.Node.Hosting;

/// <summary>
/// The configuration overlay order (config/README.md): appsettings.json, config/appsettings.{Environment}.json,
/// config/routing.json, config/prompts.json, DIFFUGTS_ environment variables, then the command line. Files are
/// watched, so routing and prompt changes apply without a restart.
/// </summary>
public static class NodeConfiguration
{
    public const string EnvironmentPrefix = "DIFFUGTS_";

    public static IConfigurationBuilder AddNodeSources(this IConfigurationBuilder builder, string contentRoot, string environment,
        string[]? commandLine = null, string? explicitFile = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Sources.Clear();
        if (explicitFile is not null)
        {
            // `diffugts config validate FILE`: the file replaces appsettings.json; the overlays beside it still apply.
            builder.AddJsonFile(Path.GetFullPath(explicitFile), optional: false, reloadOnChange: false);
        }
        else
        {
            builder.AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: false, reloadOnChange: true);
        }

        var config = Path.Combine(contentRoot, "config");
        builder.AddJsonFile(Path.Combine(config, $"appsettings.{environment}.json"), optional: true, reloadOnChange: true);
        builder.AddJsonFile(Path.Combine(config, "routing.json"), optional: true, reloadOnChange: true);
        builder.AddJsonFile(Path.Combine(config, "prompts.json"), optional: true, reloadOnChange: true);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (commandLine is not null)
        {
            builder.AddCommandLine(commandLine);
        }

        return builder;
    }

    /// <summary>
    /// The folder that holds appsettings.json: DIFFUGTS_CONTENT_ROOT when set, else the nearest folder above the
    /// program (a published layout has it beside the binaries; a source checkout at the repository root).
    /// </summary>
    public static string FindContentRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable(EnvironmentPrefix + "CONTENT_ROOT");
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) && Directory.Exists(Path.Combine(dir.FullName, "config")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
