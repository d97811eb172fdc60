using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// The merge step: reads every per-case JSON under <c>OUT/cases/</c> (all shards that share OUT) and writes
/// <c>results.json</c>, <c>results.csv</c> and <c>report.md</c> (means ± SD per method and category, the paired Dice
/// differences asked for, then the exact metric definitions).
/// </summary>
public static class EvaluationReport
{
    private static readonly string[] CsvColumns =
    [
        "case_id", "category", "organ", "lesion_kind", "prompt", "method", "method_version", "model_package_version", "seed",
        "status", "dice", "nsd", "tolerance_mm", "hd95_mm", "lesion_tp", "lesion_fp", "lesion_fn", "lesion_recall",
        "lesion_precision", "lesion_f1", "auroc", "auprc", "truth_empty", "prediction_empty", "runtime_s",
    ];

    /// <summary>Heading of the paired section (scripts/benchmark-zero-shot.sh copies the section into the README by it).</summary>
    public const string PairedDifferencesHeading = "## Paired differences in Dice";

    public static IReadOnlyList<CaseResult> ReadCaseResults(string outputDirectory)
    {
        var folder = Path.Combine(outputDirectory, "cases");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var results = new List<CaseResult>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
        {
            try
            {
                results.Add(JsonSerializer.Deserialize<CaseResult>(File.ReadAllText(path), EvaluationRunner.Json)
                    ?? throw new InvalidDataException($"{path} holds null"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a case result: {e.Message}", e);
            }
        }

        return results.OrderBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.CaseId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Merges all per-case results under <paramref name="outputDirectory"/> and returns the Markdown report;
    /// <paramref name="comparisons"/> (method, comparator) pairs get a paired-difference section where both have results.
    /// </summary>
    public static string Write(string outputDirectory, IReadOnlyList<(string Method, string Comparator)>? comparisons = null)
    {
        var results = ReadCaseResults(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, "results.json"), JsonSerializer.Serialize(results, EvaluationRunner.Json));
        File.WriteAllText(Path.Combine(outputDirectory, "results.csv"), Csv(results));
        var markdown = Markdown(results, comparisons);
        File.WriteAllText(Path.Combine(outputDirectory, "report.md"), markdown);
        return markdown;
    }

    public static string Csv(IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns).Append('\n');
        foreach (var r in results)
        {
            object?[] row =
            [
                r.CaseId, r.Category, r.Organ, r.LesionKind, r.Prompt, r.Method, r.MethodVersion, r.ModelPackageVersion, r.Seed,
                r.Status, r.Dice, r.Nsd, r.ToleranceMm, r.Hd95Mm, r.LesionTp, r.LesionFp, r.LesionFn, r.LesionRecall,
                r.LesionPrecision, r.LesionF1, r.Auroc, r.Auprc, r.TruthEmpty, r.PredictionEmpty, r.RuntimeSeconds,
            ];
            csv.AppendJoin(',', row.Select(CsvField)).Append('\n');
        }

        return csv.ToString();
    }

    public static string Markdown(IReadOnlyList<CaseResult> results, IReadOnlyList<(string Method, string Comparator)>? comparisons = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        var tolerances = results.Select(r => r.ToleranceMm).Distinct().ToList();
        var tolerance = tolerances.Count == 1 ? tolerances[0] : SegmentationMetrics.DefaultToleranceMm;
        var nsdHeader = string.Create(CultureInfo.InvariantCulture, $"NSD@{tolerance:0.###}mm");
        md.Append("# Evaluation report\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| Method | Category | n | failed | empty truth | Dice | {nsdHeader} | HD95 (mm) | Lesion F1 | Lesion recall | AUROC | AUPRC | Runtime (s) |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var method in results.GroupBy(r => r.Method, StringComparer.Ordinal))
        {
            var groups = method.GroupBy(r => r.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, Rows: g.ToList())).ToList();
            if (groups.Count > 1)
            {
                groups.Add(("all", method.ToList()));
            }

            foreach (var (category, rows) in groups)
            {
                var ok = rows.Where(r => r.Status == "ok").ToList();
                md.Append(CultureInfo.InvariantCulture,
                    $"| {method.Key} | {category} | {ok.Count} | {rows.Count - ok.Count} | {ok.Count(r => r.TruthEmpty)} | ");
                md.AppendJoin(" | ", new[]
                {
                    Stat(ok, r => r.Dice), Stat(ok, r => r.Nsd), Stat(ok, r => r.Hd95Mm, "0.0"), Stat(ok, r => r.LesionF1),
                    Stat(ok, r => r.LesionRecall), Stat(ok, r => r.Auroc), Stat(ok, r => r.Auprc), Stat(ok, r => r.RuntimeSeconds, "0.00"),
                });
                md.Append(" |\n");
            }
        }

        md.Append("\nMean ± SD over cases; a value undefined for a case (AUROC with empty truth, lesion recall without truth ")
            .Append("lesions) is left out and the count in brackets says how many cases it covers when that differs from n.\n");
        if (results.Any(r => r.Method == OrganIntensityOutlierMethod.MethodName))
        {
            md.Append("\n`").Append(OrganIntensityOutlierMethod.MethodName)
                .Append("` receives the dataset's organ masks as an oracle (robust z-score of HU per organ label); ")
                .Append("a zero-shot method does not get them.\n");
        }

        var paired = (comparisons ?? []).SelectMany(c => PairedComparison.Compare(results, c.Method, c.Comparator)).ToList();
        if (paired.Count > 0)
        {
            md.Append('\n').Append(PairedDifferencesHeading).Append("\n\n").Append(PairedComparison.Markdown(paired));
        }

        var versions = results.Select(r => (r.Method, r.MethodVersion, r.ModelPackageVersion, r.Seed)).Distinct().ToList();
        md.Append("\n## Methods\n\n");
        foreach (var (method, version, package, seed) in versions)
        {
            md.Append(CultureInfo.InvariantCulture, $"- `{method}` version {version}; model package {package ?? "none"}; seed {seed}\n");
        }

        md.Append("\n## Metric definitions\n\n").Append(MetricDefinitions.Markdown(tolerance)).Append('\n');
        return md.ToString();
    }

    private static string Stat(List<CaseResult> rows, Func<CaseResult, double?> value, string format = "0.000")
    {
        var values = rows.Select(value).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (values.Count == 0)
        {
            return "–";
        }

        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0.0;
        var text = mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + sd.ToString(format, CultureInfo.InvariantCulture);
        return values.Count == rows.Count ? text : text + string.Create(CultureInfo.InvariantCulture, $" ({values.Count})");
    }

    private static string CsvField(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // RFC 4180: quote fields holding a comma, quote or line break; double inner quotes.
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
