using System.CommandLine;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Configuration;

namespace DiffuGts.Cli.Commands;

/// <summary><c>diffugts config validate [FILE]</c>: the node's start-up validation, without starting the node.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = "A settings file to use instead of appsettings.json (the config/ overlays beside the content root still apply).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var environment = new Option<string>("--environment")
        {
            Description = "Environment whose config/appsettings.{Environment}.json overlay applies.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production",
        };
        var validate = new Command("validate", "Check the node's configuration and name every bad key; exit 0 when valid, 1 otherwise.");
        validate.Arguments.Add(file);
        validate.Options.Add(environment);
        validate.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var explicitFile = parse.GetValue(file);
            var root = NodeConfiguration.FindContentRoot();
            IConfigurationRoot configuration;
            try
            {
                configuration = new ConfigurationBuilder()
                    .AddNodeSources(root, parse.GetValue(environment)!, explicitFile: explicitFile?.FullName)
                    .Build();
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or FormatException)
            {
                error.WriteLine($"configuration cannot be read: {e.Message}");
                return 1;
            }

            var errors = NodeSettingsValidator.Check(NodeSettings.Bind(configuration));
            foreach (var e in errors)
            {
                error.WriteLine($"error: {e}");
            }

            output.WriteLine(errors.Count == 0
                ? $"configuration is valid ({explicitFile?.FullName ?? Path.Combine(root, "appsettings.json")} with overlays from {Path.Combine(root, "config")})"
                : $"{errors.Count} error(s)");
            return errors.Count == 0 ? 0 : 1;
        });

        var command = new Command("config", "Configuration tools.");
        command.Subcommands.Add(validate);
        return command;
    }
}
