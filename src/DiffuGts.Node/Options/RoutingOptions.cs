namespace DiffuGts.Node.Options;

/// <summary>Series → prompt set → destinations (section <c>Routing</c>). Rules are tried in order.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>FirstMatch: the first matching rule alone applies. AllMatches: every matching rule applies (one job each).</summary>
    public RoutingMode Mode { get; set; } = RoutingMode.FirstMatch;

    public IList<RouteRuleOptions> Rules { get; } = [];

    /// <summary>What a series no rule matches gets: "Ignore" (logged, kept for the retention period) or a prompt set name.</summary>
    public string Default { get; set; } = "Ignore";

    /// <summary>Destinations used with <see cref="Default"/> when it names a prompt set.</summary>
    public IList<string> DefaultDestinations { get; } = [];
}

public enum RoutingMode
{
    FirstMatch,
    AllMatches,
}

/// <summary>
/// One routing rule. Every condition that is set must hold; an unset condition matches anything. String comparisons
/// ignore case and surrounding spaces (DICOM pads CS/LO values); patterns are .NET regular expressions.
/// </summary>
public sealed class RouteRuleOptions
{
    public string Name { get; set; } = "";

    /// <summary>Modality (0008,0060) values, e.g. ["CT"].</summary>
    public IList<string> Modality { get; } = [];

    /// <summary>Body Part Examined (0018,0015) values, e.g. ["ABDOMEN", "CHEST"].</summary>
    public IList<string> BodyPartExamined { get; } = [];

    public string? StudyDescriptionPattern { get; set; }

    public string? SeriesDescriptionPattern { get; set; }

    public IList<string> CallingAeTitle { get; } = [];

    public IList<string> CalledAeTitle { get; } = [];

    public string? ManufacturerPattern { get; set; }

    /// <summary>Name of a prompt set in section <c>Prompts</c>.</summary>
    public string PromptSet { get; set; } = "";

    /// <summary>Model package directory for this rule; empty uses Inference:ModelDirectory.</summary>
    public string? Model { get; set; }

    /// <summary>Names of entries in section <c>Peers</c>.</summary>
    public IList<string> Destinations { get; } = [];
}
