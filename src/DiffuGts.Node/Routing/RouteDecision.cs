using DiffuGts.Node.Options;

namespace DiffuGts.Node.Routing;

/// <summary>One job a series gets: which rule matched (or the default), its prompt set and destinations.</summary>
public sealed record RouteDecision(string RuleName, int RuleIndex, string PromptSet, string? Model, IReadOnlyList<string> Destinations)
{
    public static RouteDecision FromRule(RouteRuleOptions rule, int index)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var name = string.IsNullOrWhiteSpace(rule.Name) ? $"rule {index}" : rule.Name;
        return new RouteDecision(name, index, rule.PromptSet, string.IsNullOrWhiteSpace(rule.Model) ? null : rule.Model, [.. rule.Destinations]);
    }
}
