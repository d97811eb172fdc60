using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using Xunit;

namespace DiffuGts.Node.Tests.Routing;

public sealed class RouteMatcherTests
{
    private static SeriesAttributes Series(string modality = "CT", string? bodyPart = "ABDOMEN", string? seriesDescription = "Portal venous 2.5mm",
        string calling = "CT_SCANNER1", string called = "DIFFUGTS", string? manufacturer = "ACME Medical") =>
        new("1.2.3", "1.2.3.4", modality, bodyPart, "CT ABDOMEN WITH CONTRAST", seriesDescription, manufacturer, calling, called);

    private static RoutingOptions Routing(RoutingMode mode, params RouteRuleOptions[] rules)
    {
        var routing = new RoutingOptions { Mode = mode };
        foreach (var r in rules)
        {
            routing.Rules.Add(r);
        }

        return routing;
    }

    private static RouteRuleOptions Rule(string name, string promptSet, string[]? modality = null, string[]? bodyPart = null,
        string? seriesPattern = null, string[]? calling = null, string? manufacturer = null)
    {
        var rule = new RouteRuleOptions { Name = name, PromptSet = promptSet, SeriesDescriptionPattern = seriesPattern, ManufacturerPattern = manufacturer };
        foreach (var m in modality ?? [])
        {
            rule.Modality.Add(m);
        }

        foreach (var b in bodyPart ?? [])
        {
            rule.BodyPartExamined.Add(b);
        }

        foreach (var c in calling ?? [])
        {
            rule.CallingAeTitle.Add(c);
        }

        rule.Destinations.Add("PACS");
        return rule;
    }

    [Fact]
    public void Match_FirstMatch_ReturnsOnlyTheFirstMatchingRule()
    {
        var routing = Routing(RoutingMode.FirstMatch,
            Rule("mr", "brain", modality: ["MR"]),
            Rule("abdomen", "liver", modality: ["CT"], bodyPart: ["ABDOMEN"]),
            Rule("any-ct", "generic", modality: ["CT"]));
        var decisions = RouteMatcher.Match(Series(), routing);
        var only = Assert.Single(decisions);
        Assert.Equal("abdomen", only.RuleName);
        Assert.Equal("liver", only.PromptSet);
        Assert.Equal(1, only.RuleIndex);
    }

    [Fact]
    public void Match_AllMatches_ReturnsEveryMatchingRuleInOrder()
    {
        var routing = Routing(RoutingMode.AllMatches,
            Rule("abdomen", "liver", modality: ["CT"], bodyPart: ["ABDOMEN"]),
            Rule("mr", "brain", modality: ["MR"]),
            Rule("any-ct", "kidney", modality: ["CT"]));
        Assert.Equal(["liver", "kidney"], RouteMatcher.Match(Series(), routing).Select(d => d.PromptSet));
    }

    [Theory]
    [InlineData("CT", "ABDOMEN", "Portal venous 2.5mm", "CT_SCANNER1", true)]
    [InlineData("ct ", "abdomen ", "Portal venous 2.5mm", "CT_SCANNER1", true)] // DICOM values arrive padded and in any case
    [InlineData("MR", "ABDOMEN", "Portal venous 2.5mm", "CT_SCANNER1", false)]
    [InlineData("CT", "CHEST", "Portal venous 2.5mm", "CT_SCANNER1", false)]
    [InlineData("CT", null, "Portal venous 2.5mm", "CT_SCANNER1", false)]
    [InlineData("CT", "ABDOMEN", "Scout", "CT_SCANNER1", false)]
    [InlineData("CT", "ABDOMEN", "PORTAL VENOUS 1mm", "CT_SCANNER1", true)]
    [InlineData("CT", "ABDOMEN", "Portal venous 2.5mm", "OTHER_AE", false)]
    public void Matches_Conditions_AllMustHold(string modality, string? bodyPart, string seriesDescription, string calling, bool expected)
    {
        var rule = Rule("r", "liver", modality: ["CT"], bodyPart: ["ABDOMEN", "LIVER"], seriesPattern: "portal|venous", calling: ["CT_SCANNER1"]);
        Assert.Equal(expected, RouteMatcher.Matches(rule, Series(modality, bodyPart, seriesDescription, calling)));
    }

    [Fact]
    public void Match_NoRuleAndDefaultIgnore_ReturnsNothing()
    {
        var routing = Routing(RoutingMode.FirstMatch, Rule("mr", "brain", modality: ["MR"]));
        Assert.Empty(RouteMatcher.Match(Series(), routing));
    }

    [Fact]
    public void Match_NoRuleAndDefaultPromptSet_ReturnsDefaultDecision()
    {
        var routing = Routing(RoutingMode.FirstMatch, Rule("mr", "brain", modality: ["MR"]));
        routing.Default = "generic";
        routing.DefaultDestinations.Add("PACS");
        var only = Assert.Single(RouteMatcher.Match(Series(), routing));
        Assert.Equal(("default", "generic", -1), (only.RuleName, only.PromptSet, only.RuleIndex));
        Assert.Equal(["PACS"], only.Destinations);
    }

    [Fact]
    public void Matches_ManufacturerPattern_IsSearchedIgnoringCase()
    {
        Assert.True(RouteMatcher.Matches(Rule("r", "x", manufacturer: "^acme"), Series()));
        Assert.False(RouteMatcher.Matches(Rule("r", "x", manufacturer: "^siemens"), Series()));
    }
}
