using DiffuGts.Imaging.Evaluation;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class PairedComparisonTests
{
    [Fact]
    public void Compare_TwoMethods_PairsByCasePerCategoryAndLeavesOutFailedAndUnmatchedCases()
    {
        CaseResult[] results =
        [
            Row("e", "s1", "seen", 0.5), Row("c", "s1", "seen", 0.25),
            Row("e", "s2", "seen", 0.2), Row("c", "s2", "seen", 0.3),
            Row("e", "u1", "unseen", 0.0), Row("c", "u1", "unseen", 0.0),
            Row("e", "u2", "unseen", 0.4), Row("c", "u2", "unseen", 0.1),
            Row("e", "u3", "unseen", 0.9), Row("c", "u3", "unseen", null, "failed: timeout"),
            Row("e", "u4", "unseen", 0.9),
        ];

        var comparisons = PairedComparison.Compare(results, "e", "c");

        Assert.Equal(["seen", "unseen", "all"], comparisons.Select(c => c.Category));
        var seen = comparisons[0];
        Assert.Equal((2, 1, 0, 1), (seen.Cases, seen.Wins, seen.Ties, seen.Losses));
        Assert.Equal(0.075, seen.MeanDifference, 12);
        var unseen = comparisons[1];
        Assert.Equal((2, 1, 1, 0), (unseen.Cases, unseen.Wins, unseen.Ties, unseen.Losses));
        Assert.Equal(0.15, unseen.MeanDifference, 12);
        Assert.Equal((4, 2, 1, 1), (comparisons[2].Cases, comparisons[2].Wins, comparisons[2].Ties, comparisons[2].Losses));
        Assert.Empty(PairedComparison.Compare(results, "e", "a"));
    }

    [Fact]
    public void BootstrapInterval_ConstantDifferences_CollapsesOnTheConstant()
    {
        var (lower, upper) = PairedComparison.BootstrapInterval([0.1, 0.1, 0.1], 500, 0.95, 1);

        Assert.Equal(0.1, lower, 12);
        Assert.Equal(0.1, upper, 12);
    }

    [Fact]
    public void BootstrapInterval_ManyCases_MatchesTheNormalIntervalOfTheMeanAndIsReproducible()
    {
        // 400 differences uniform on [−0.5, 0.5] around +0.05: SD 1/√12, so the 95 % interval of the mean is about
        // 0.05 ± 1.96·0.2887/20 = 0.05 ± 0.0283.
        var values = Enumerable.Range(0, 400).Select(i => 0.05 + ((i * 0.6180339887) % 1.0) - 0.5).ToArray();
        var mean = values.Average();

        var (lower, upper) = PairedComparison.BootstrapInterval(values, PairedComparison.Resamples, 0.95, PairedComparison.Seed);

        Assert.InRange(upper - lower, 2 * 0.0283 * 0.85, 2 * 0.0283 * 1.15);
        Assert.InRange(mean, lower, upper);
        Assert.True(lower > 0, $"an effect of 0.05 over 400 cases is resolved: [{lower}, {upper}]");
        Assert.Equal((lower, upper), PairedComparison.BootstrapInterval(values, PairedComparison.Resamples, 0.95, PairedComparison.Seed));
    }

    [Fact]
    public void Markdown_WithComparisonsAsked_AddsThePairedSectionOnlyThen()
    {
        CaseResult[] results = [Row("e", "s1", "seen", 0.5), Row("c", "s1", "seen", 0.25), Row("e", "s2", "seen", 0.1), Row("c", "s2", "seen", 0.3)];

        var with = EvaluationReport.Markdown(results, [("e", "c")]);
        var without = EvaluationReport.Markdown(results);

        Assert.Contains(EvaluationReport.PairedDifferencesHeading, with, StringComparison.Ordinal);
        Assert.Contains("| e − c | seen | 2 | +0.025 | [", with, StringComparison.Ordinal);
        Assert.Contains("| 1 / 0 / 1 |", with, StringComparison.Ordinal);
        Assert.DoesNotContain(EvaluationReport.PairedDifferencesHeading, without, StringComparison.Ordinal);
    }

    private static CaseResult Row(string method, string caseId, string category, double? dice, string status = "ok") =>
        new() { Method = method, CaseId = caseId, Category = category, Dice = dice, Status = status };
}
