using System.Text.RegularExpressions;
using DiffuGts.Node.Options;

namespace DiffuGts.Node.Routing;

/// <summary>
/// Decides which routing rules apply to a series. A pure function of the series and the rules: every condition a rule
/// sets must hold; list conditions match when any listed value equals the series value (case-insensitive, trimmed, as
/// DICOM CS/AE values are space padded); patterns are regular expressions searched anywhere in the value, ignoring case.
/// In <see cref="RoutingMode.FirstMatch"/> only the first matching rule applies; in AllMatches every matching rule does.
/// No match gives the default (a prompt set) or nothing ("Ignore"); the caller logs and keeps an unrouted series.
/// </summary>
public static class RouteMatcher
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<RouteDecision> Match(SeriesAttributes series, RoutingOptions routing)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(routing);
        var decisions = new List<RouteDecision>();
        for (var i = 0; i < routing.Rules.Count; i++)
        {
            if (!Matches(routing.Rules[i], series))
            {
                continue;
            }

            decisions.Add(RouteDecision.FromRule(routing.Rules[i], i));
            if (routing.Mode == RoutingMode.FirstMatch)
            {
                break;
            }
        }

        if (decisions.Count == 0 && !string.Equals(routing.Default, "Ignore", StringComparison.OrdinalIgnoreCase))
        {
            decisions.Add(new RouteDecision("default", -1, routing.Default, null, [.. routing.DefaultDestinations]));
        }

        return decisions;
    }

    public static bool Matches(RouteRuleOptions rule, SeriesAttributes series)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(series);
        return AnyOf(rule.Modality, series.Modality)
            && AnyOf(rule.BodyPartExamined, series.BodyPartExamined)
            && AnyOf(rule.CallingAeTitle, series.CallingAeTitle)
            && AnyOf(rule.CalledAeTitle, series.CalledAeTitle)
            && Pattern(rule.StudyDescriptionPattern, series.StudyDescription)
            && Pattern(rule.SeriesDescriptionPattern, series.SeriesDescription)
            && Pattern(rule.ManufacturerPattern, series.Manufacturer);
    }

    private static bool AnyOf(IList<string> allowed, string? value)
    {
        if (allowed.Count == 0)
        {
            return true;
        }

        var v = value?.Trim() ?? "";
        return allowed.Any(a => string.Equals(a.Trim(), v, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Pattern(string? pattern, string? value)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(value ?? "", pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological pattern must not stall the node; the rule simply does not match and validation flagged nothing.
            return false;
        }
    }
}
