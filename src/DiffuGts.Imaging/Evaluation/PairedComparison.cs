using System.Globalization;
using System.Text;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// A method against a comparator on the cases both scored: the per-case Dice difference (method − comparator), its mean
/// with a percentile bootstrap interval, and how many cases the method wins, ties or loses. Means ± SD of each method
/// alone cannot say whether a difference of 0.01 between two ablations is real when the SD over cases is 0.2; the
/// paired interval can.
/// </summary>
public sealed record PairedComparison(
    string Method, string Comparator, string Category, int Cases, double MeanDifference, double Lower, double Upper,
    int Wins, int Ties, int Losses)
{
    /// <summary>Resamples of the cases behind each interval.</summary>
    public const int Resamples = 10_000;

    /// <summary>Two-sided coverage of the interval.</summary>
    public const double Level = 0.95;

    /// <summary>Seed of the resampling, fixed so that a report is reproduced exactly from its per-case results.</summary>
    public const int Seed = 20261130;

    /// <summary>Dice values closer than this count as a tie (two empty predictions on a lesion case both score 0).</summary>
    public const double TieTolerance = 1e-9;

    /// <summary>
    /// One comparison per category present (and "all" when there are several), over the cases where both methods
    /// succeeded with a Dice value; empty when no case has both.
    /// </summary>
    public static IReadOnlyList<PairedComparison> Compare(IReadOnlyList<CaseResult> results, string method, string comparator)
    {
        ArgumentNullException.ThrowIfNull(results);
        var scored = results.Where(r => r.Status == "ok" && r.Dice.HasValue).ToList();
        var byCase = scored.Where(r => r.Method == comparator).ToDictionary(r => r.CaseId, StringComparer.Ordinal);
        var pairs = scored.Where(r => r.Method == method && byCase.ContainsKey(r.CaseId))
            .Select(r => (r.Category, Difference: r.Dice!.Value - byCase[r.CaseId].Dice!.Value))
            .ToList();
        var categories = pairs.Select(p => p.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var groups = categories.Select(c => (c, pairs.Where(p => p.Category == c).Select(p => p.Difference).ToList())).ToList();
        if (groups.Count > 1)
        {
            groups.Add(("all", pairs.Select(p => p.Difference).ToList()));
        }

        return groups.Select(g => Of(method, comparator, g.Item1, g.Item2)).ToList();
    }

    /// <summary>The comparison of one group of per-case differences.</summary>
    public static PairedComparison Of(string method, string comparator, string category, IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0)
        {
            throw new ArgumentException("a paired comparison needs at least one case", nameof(differences));
        }

        var (lower, upper) = BootstrapInterval(differences, Resamples, Level, Seed);
        return new PairedComparison(method, comparator, category, differences.Count, differences.Average(), lower, upper,
            differences.Count(d => d > TieTolerance), differences.Count(d => Math.Abs(d) <= TieTolerance),
            differences.Count(d => d < -TieTolerance));
    }

    /// <summary>
    /// Percentile bootstrap interval of the mean: <paramref name="resamples"/> means of n cases drawn with replacement,
    /// the interval between their (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation between order
    /// statistics).
    /// </summary>
    public static (double Lower, double Upper) BootstrapInterval(IReadOnlyList<double> values, int resamples, double level, int seed)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (values.Count == 0 || level is <= 0 or >= 1)
        {
            throw new ArgumentException("values must be non-empty and level in (0, 1)");
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.Next(values.Count)];
            }

            means[b] = sum / values.Count;
        }

        Array.Sort(means);
        return (Quantile(means, (1 - level) / 2), Quantile(means, (1 + level) / 2));
    }

    /// <summary>The Markdown section of the report: one row per comparison and category.</summary>
    public static string Markdown(IReadOnlyList<PairedComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture,
            $"Per case, the method's Dice minus the comparator's, over the cases both scored; mean with a {Level * 100:0}% percentile bootstrap interval ")
            .Append(CultureInfo.InvariantCulture, $"({Resamples:N0} resamples of the cases, seed {Seed}); wins / ties / losses count the cases ")
            .Append("where the method's Dice is higher / equal / lower. An interval that excludes 0 is a difference these cases resolve; ")
            .Append("one that straddles 0 is not, however the means compare.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"| Method − comparator | Category | n | Mean Δ Dice | {Level * 100:0}% interval | Wins / ties / losses |\n");
        md.Append("|---|---|---|---|---|---|\n");
        foreach (var c in comparisons)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {c.Method} − {c.Comparator} | {c.Category} | {c.Cases} | {Signed(c.MeanDifference)} | [{Signed(c.Lower)}, {Signed(c.Upper)}] | {c.Wins} / {c.Ties} / {c.Losses} |\n");
        }

        return md.ToString();
    }

    private static string Signed(double value) =>
        (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.000", CultureInfo.InvariantCulture);

    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
