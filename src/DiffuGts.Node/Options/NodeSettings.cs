using Microsoft.Extensions.Configuration;

namespace DiffuGts.Node.Options;

/// <summary>
/// Every section of the node's configuration, bound together so that cross-section rules (a route names a peer and a
/// prompt set that exist) can be checked in one place, at start and by <c>diffugts config validate</c>.
/// </summary>
public sealed class NodeSettings
{
    public NodeOptions Node { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public Dictionary<string, PeerOptions> Peers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Named prompt sets (section <c>Prompts</c>).</summary>
    public Dictionary<string, List<PromptOptions>> Prompts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RoutingOptions Routing { get; set; } = new();

    public InferenceOptions Inference { get; set; } = new();

    public ExportOptions Export { get; set; } = new();

    public HealthOptions Health { get; set; } = new();

    /// <summary>Problems met while binding (an unknown key, a value of the wrong type); reported with the validation errors.</summary>
    public IList<string> BindingErrors { get; } = [];

    /// <summary>
    /// Binds the node's sections. Unknown keys inside them are errors (a typo must not silently fall back to a default);
    /// other top-level sections (Serilog, Logging) belong to other components and are left alone.
    /// </summary>
    public static NodeSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new NodeSettings();
        BindSection(configuration, NodeOptions.SectionName, settings.Node, settings.BindingErrors);
        BindSection(configuration, StorageOptions.SectionName, settings.Storage, settings.BindingErrors);
        BindSection(configuration, PeerOptions.SectionName, settings.Peers, settings.BindingErrors);
        BindSection(configuration, "Prompts", settings.Prompts, settings.BindingErrors);
        BindSection(configuration, RoutingOptions.SectionName, settings.Routing, settings.BindingErrors);
        BindSection(configuration, InferenceOptions.SectionName, settings.Inference, settings.BindingErrors);
        BindSection(configuration, ExportOptions.SectionName, settings.Export, settings.BindingErrors);
        BindSection(configuration, HealthOptions.SectionName, settings.Health, settings.BindingErrors);
        return settings;
    }

    private static void BindSection(IConfiguration configuration, string name, object target, IList<string> errors)
    {
        try
        {
            configuration.GetSection(name).Bind(target, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            errors.Add($"{name}: {e.Message}");
        }
    }
}
