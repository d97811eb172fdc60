using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Options;

/// <summary>
/// Validates the whole configuration. Every message starts with the full key path (<c>Routing:Rules:2:PromptSet</c>) so
/// an operator can find the line. Each call builds a fresh error list.
/// </summary>
public sealed class NodeSettingsValidator : IValidateOptions<NodeSettings>
{
    public ValidateOptionsResult Validate(string? name, NodeSettings options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Check(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>(settings.BindingErrors);
        CheckNode(settings.Node, errors);
        CheckStorage(settings.Storage, errors);
        CheckPeers(settings, errors);
        CheckPrompts(settings, errors);
        CheckRouting(settings, errors);
        CheckInference(settings.Inference, errors);
        CheckExport(settings.Export, errors);
        Range($"{HealthOptions.SectionName}:HttpPort", settings.Health.HttpPort, 0, 65535, errors);
        return errors;
    }

    /// <summary>PS3.5 §6.2 AE: 1–16 characters of the default repertoire, no backslash or control characters, not all spaces.</summary>
    public static string? AeTitleProblem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is empty (an AE title needs 1 to 16 characters)";
        }

        if (value.Length > 16)
        {
            return $"'{value}' has {value.Length} characters; an AE title has at most 16";
        }

        if (value.Any(c => c < 0x20 || c > 0x7E || c == '\\'))
        {
            return $"'{value}' contains a backslash, a control or a non-ASCII character";
        }

        return null;
    }

    private static void CheckNode(NodeOptions node, List<string> errors)
    {
        const string s = NodeOptions.SectionName;
        AeTitle($"{s}:AeTitle", node.AeTitle, errors);
        Range($"{s}:Port", node.Port, 1, 65535, errors);
        Range($"{s}:MaxAssociations", node.MaxAssociations, 1, 10_000, errors);
        // PS3.8 §D.1: a maximum length below 4096 is unusual; 0 means unlimited, which we never announce.
        Range($"{s}:MaxPduLength", node.MaxPduLength, 4096, 16 * 1024 * 1024, errors);
        Positive($"{s}:AssociationIdleTimeout", node.AssociationIdleTimeout, errors);
        if (node.MaxDatasetBytes <= 0)
        {
            errors.Add($"{s}:MaxDatasetBytes must be positive (bytes), not {node.MaxDatasetBytes}");
        }

        if (!IPAddress.TryParse(node.BindAddress, out _))
        {
            errors.Add($"{s}:BindAddress '{node.BindAddress}' is not an IP address");
        }

        for (var i = 0; i < node.AcceptedCallingAeTitles.Count; i++)
        {
            AeTitle($"{s}:AcceptedCallingAeTitles:{i}", node.AcceptedCallingAeTitles[i], errors);
        }

        for (var i = 0; i < node.AllowedSourceAddresses.Count; i++)
        {
            // The SCP matches exact addresses; a CIDR block would silently allow nobody or everybody, so it is refused.
            if (!IPAddress.TryParse(node.AllowedSourceAddresses[i], out _))
            {
                errors.Add($"{s}:AllowedSourceAddresses:{i} '{node.AllowedSourceAddresses[i]}' is not an IP address (list single addresses; CIDR blocks are not supported)");
            }
        }
    }

    private static void CheckStorage(StorageOptions storage, List<string> errors)
    {
        const string s = StorageOptions.SectionName;
        if (string.IsNullOrWhiteSpace(storage.Root))
        {
            errors.Add($"{s}:Root is empty; it names the spool folder");
        }

        Positive($"{s}:SeriesIdleTimeout", storage.SeriesIdleTimeout, errors);
        Positive($"{s}:MaxSeriesAge", storage.MaxSeriesAge, errors);
        if (storage.MaxSeriesAge < storage.SeriesIdleTimeout)
        {
            errors.Add($"{s}:MaxSeriesAge ({storage.MaxSeriesAge}) is shorter than {s}:SeriesIdleTimeout ({storage.SeriesIdleTimeout})");
        }

        if (storage.LowDiskWatermarkPercent is < 0 or >= 100 || double.IsNaN(storage.LowDiskWatermarkPercent))
        {
            errors.Add($"{s}:LowDiskWatermarkPercent must be in [0, 100), not {storage.LowDiskWatermarkPercent.ToString(CultureInfo.InvariantCulture)}");
        }

        if (storage.ReservedBytes < 0)
        {
            errors.Add($"{s}:ReservedBytes must not be negative (bytes), not {storage.ReservedBytes}");
        }

        Range($"{s}:RetentionDays", storage.RetentionDays, 0, 3650, errors);
        if (!Enum.IsDefined(storage.LateInstancePolicy))
        {
            errors.Add($"{s}:LateInstancePolicy must be Rerun or Attach");
        }
    }

    private static void CheckPeers(NodeSettings settings, List<string> errors)
    {
        foreach (var (name, peer) in settings.Peers)
        {
            var p = $"{PeerOptions.SectionName}:{name}";
            AeTitle($"{p}:AeTitle", peer.AeTitle, errors);
            if (string.IsNullOrWhiteSpace(peer.Host))
            {
                errors.Add($"{p}:Host is empty");
            }

            Range($"{p}:Port", peer.Port, 1, 65535, errors);
            Range($"{p}:MaxConcurrentAssociations", peer.MaxConcurrentAssociations, 1, 64, errors);
        }
    }

    private static void CheckPrompts(NodeSettings settings, List<string> errors)
    {
        foreach (var (name, prompts) in settings.Prompts)
        {
            if (prompts.Count == 0)
            {
                errors.Add($"Prompts:{name} is empty; a prompt set needs at least one prompt");
            }

            for (var i = 0; i < prompts.Count; i++)
            {
                var p = $"Prompts:{name}:{i}";
                var prompt = prompts[i];
                if (string.IsNullOrWhiteSpace(prompt.Text))
                {
                    errors.Add($"{p}:Text is empty");
                }

                if (string.IsNullOrWhiteSpace(prompt.Label) || prompt.Label.Length > 64)
                {
                    errors.Add($"{p}:Label must have 1 to 64 characters (Segment Label is LO)");
                }

                if (!RgbColor.TryParse(prompt.Color, out _))
                {
                    errors.Add($"{p}:Color '{prompt.Color}' is not #RRGGBB");
                }

                Code($"{p}:Category", prompt.Category, errors);
                Code($"{p}:Type", prompt.Type, errors);
                Code($"{p}:Anatomy", prompt.Anatomy, errors);
            }
        }
    }

    private static void CheckRouting(NodeSettings settings, List<string> errors)
    {
        const string s = RoutingOptions.SectionName;
        var routing = settings.Routing;
        if (!Enum.IsDefined(routing.Mode))
        {
            errors.Add($"{s}:Mode must be FirstMatch or AllMatches");
        }

        for (var i = 0; i < routing.Rules.Count; i++)
        {
            var rule = routing.Rules[i];
            var p = $"{s}:Rules:{i}";
            if (!settings.Prompts.ContainsKey(rule.PromptSet))
            {
                errors.Add($"{p}:PromptSet '{rule.PromptSet}' names no prompt set in section Prompts");
            }

            if (rule.Destinations.Count == 0)
            {
                errors.Add($"{p}:Destinations is empty; a rule sends its results to at least one peer");
            }

            for (var d = 0; d < rule.Destinations.Count; d++)
            {
                if (!settings.Peers.ContainsKey(rule.Destinations[d]))
                {
                    errors.Add($"{p}:Destinations:{d} '{rule.Destinations[d]}' names no peer in section Peers");
                }
            }

            Pattern($"{p}:StudyDescriptionPattern", rule.StudyDescriptionPattern, errors);
            Pattern($"{p}:SeriesDescriptionPattern", rule.SeriesDescriptionPattern, errors);
            Pattern($"{p}:ManufacturerPattern", rule.ManufacturerPattern, errors);
        }

        if (!string.Equals(routing.Default, "Ignore", StringComparison.OrdinalIgnoreCase))
        {
            if (!settings.Prompts.ContainsKey(routing.Default))
            {
                errors.Add($"{s}:Default '{routing.Default}' is neither Ignore nor a prompt set in section Prompts");
            }

            if (routing.DefaultDestinations.Count == 0)
            {
                errors.Add($"{s}:DefaultDestinations is empty while {s}:Default names a prompt set");
            }
        }

        for (var d = 0; d < routing.DefaultDestinations.Count; d++)
        {
            if (!settings.Peers.ContainsKey(routing.DefaultDestinations[d]))
            {
                errors.Add($"{s}:DefaultDestinations:{d} '{routing.DefaultDestinations[d]}' names no peer in section Peers");
            }
        }
    }

    private static void CheckInference(InferenceOptions inference, List<string> errors)
    {
        const string s = InferenceOptions.SectionName;
        if (string.IsNullOrWhiteSpace(inference.ModelDirectory))
        {
            errors.Add($"{s}:ModelDirectory is empty");
        }

        for (var i = 0; i < inference.ExecutionProviders.Count; i++)
        {
            var ep = inference.ExecutionProviders[i];
            if (!string.Equals(ep, "cpu", StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(ep, "cuda", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{s}:ExecutionProviders:{i} '{ep}' is not one of cuda, cpu");
            }
        }

        Range($"{s}:DeviceId", inference.DeviceId, 0, 64, errors);
        Range($"{s}:IntraOpThreads", inference.IntraOpThreads, 0, 1024, errors);
        Range($"{s}:MaxConcurrentJobs", inference.MaxConcurrentJobs, 1, 16, errors);
    }

    private static void CheckExport(ExportOptions export, List<string> errors)
    {
        const string s = ExportOptions.SectionName;
        Range($"{s}:MaxAttempts", export.MaxAttempts, 1, 100_000, errors);
        Positive($"{s}:InitialDelay", export.InitialDelay, errors);
        Positive($"{s}:MaxDelay", export.MaxDelay, errors);
        Positive($"{s}:MaxAge", export.MaxAge, errors);
        Positive($"{s}:CircuitBreakDuration", export.CircuitBreakDuration, errors);
        Range($"{s}:CircuitBreakerFailures", export.CircuitBreakerFailures, 1, 1000, errors);
        if (export.MaxDelay < export.InitialDelay)
        {
            errors.Add($"{s}:MaxDelay ({export.MaxDelay}) is shorter than {s}:InitialDelay ({export.InitialDelay})");
        }
    }

    private static void AeTitle(string key, string? value, List<string> errors)
    {
        if (AeTitleProblem(value) is { } problem)
        {
            errors.Add($"{key} {problem}");
        }
    }

    private static void Range(string key, int value, int min, int max, List<string> errors)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}, not {value}");
        }
    }

    private static void Positive(string key, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration (hh:mm:ss), not {value}");
        }
    }

    private static void Pattern(string key, string? pattern, List<string> errors)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add($"{key} '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    private static void Code(string key, CodedConcept? code, List<string> errors)
    {
        if (code is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(code.Scheme) || string.IsNullOrWhiteSpace(code.Value) || string.IsNullOrWhiteSpace(code.Meaning))
        {
            errors.Add($"{key} needs Scheme, Value and Meaning");
        }
    }
}
