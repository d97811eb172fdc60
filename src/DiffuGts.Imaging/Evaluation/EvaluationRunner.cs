using System.Diagnostics;
using System.Text.Json;
using DiffuGts.Imaging.Nifti;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Runs several methods side by side over a list of cases (one shard) and writes one result JSON per (method, case) to
/// <c>OUT/cases/METHOD/CASEID.json</c>, atomically (temporary file, then rename), so a killed run never leaves a file
/// that looks complete and <see cref="EvaluationRunOptions.SkipExisting"/> can resume it (failed results are retried). A case that cannot be read,
/// or a method that throws, gives a result with status "failed: …" instead of stopping the run.
/// </summary>
public sealed class EvaluationRunner
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    private readonly IReadOnlyList<ISegmentationMethod> _methods;
    private readonly EvaluationRunOptions _options;

    public EvaluationRunner(IReadOnlyList<ISegmentationMethod> methods, EvaluationRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(options);
        if (methods.Count == 0)
        {
            throw new ArgumentException("at least one method is needed", nameof(methods));
        }

        var duplicate = methods.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"method '{duplicate.Key}' is listed twice", nameof(methods));
        }

        _methods = methods;
        _options = options;
    }

    public static string ResultPath(string outputDirectory, string method, string caseId) =>
        Path.Combine(outputDirectory, "cases", method, caseId + ".json");

    public async Task<EvaluationRunSummary> RunAsync(IReadOnlyList<EvaluationCase> cases, IProgress<CaseResult>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        int computed = 0, skipped = 0, failed = 0;
        foreach (var evaluationCase in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pending = _methods
                .Where(m => !(_options.SkipExisting && IsComplete(ResultPath(_options.OutputDirectory, m.Name, evaluationCase.Id), m)))
                .ToList();
            skipped += _methods.Count - pending.Count;
            if (pending.Count == 0)
            {
                continue;
            }

            EvaluationCaseInput? input = null;
            string? loadError = null;
            try
            {
                input = EvaluationCaseLoader.Load(evaluationCase);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                loadError = e.Message;
            }

            foreach (var method in pending)
            {
                var result = input is null
                    ? Failed(evaluationCase, method, "cannot read case: " + loadError)
                    : await EvaluateAsync(input, method, cancellationToken);
                Write(result);
                if (result.Status == "ok")
                {
                    computed++;
                }
                else
                {
                    failed++;
                }

                progress?.Report(result);
            }
        }

        return new EvaluationRunSummary(computed, skipped, failed);
    }

    private async Task<CaseResult> EvaluateAsync(EvaluationCaseInput input, ISegmentationMethod method, CancellationToken cancellationToken)
    {
        SegmentationOutput output;
        var clock = Stopwatch.StartNew();
        try
        {
            output = await method.SegmentAsync(input, _options.Seed, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(input.Case, method, e.Message);
        }

        var runtime = clock.Elapsed.TotalSeconds;
        if (_options.SavePredictions)
        {
            var folder = Path.Combine(_options.OutputDirectory, "predictions", method.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, input.Case.Id + ".nii.gz");
            var temporary = path + ".tmp";
            NiftiWriter.Write(temporary, output.Mask.Map(v => v ? (byte)1 : (byte)0), new NiftiWriteOptions { Compress = true, Description = method.Name });
            File.Move(temporary, path, overwrite: true);
        }

        var surface = SegmentationMetrics.SurfaceDistances(output.Mask, input.Truth, _options.ToleranceMm);
        var lesions = SegmentationMetrics.LesionDetection(output.Mask, input.Truth);
        var ranking = SegmentationMetrics.Ranking(output.Score, input.Truth);
        return Base(input.Case, method) with
        {
            Dice = SegmentationMetrics.Dice(output.Mask, input.Truth),
            Nsd = surface.Nsd,
            Hd95Mm = surface.Hd95Mm,
            LesionTp = lesions.TruePositives,
            LesionFp = lesions.FalsePositives,
            LesionFn = lesions.FalseNegatives,
            LesionRecall = lesions.Recall,
            LesionPrecision = lesions.Precision,
            LesionF1 = lesions.F1,
            Auroc = ranking.Auroc,
            Auprc = ranking.Auprc,
            TruthEmpty = Array.IndexOf(input.Truth.Data, true) < 0,
            PredictionEmpty = Array.IndexOf(output.Mask.Data, true) < 0,
            RuntimeSeconds = runtime,
        };
    }

    private CaseResult Failed(EvaluationCase evaluationCase, ISegmentationMethod method, string? reason) =>
        Base(evaluationCase, method) with { Status = "failed: " + reason };

    private CaseResult Base(EvaluationCase c, ISegmentationMethod method) => new()
    {
        CaseId = c.Id,
        Method = method.Name,
        MethodVersion = method.Version,
        ModelPackageVersion = method.ModelPackageVersion,
        Seed = _options.Seed,
        Category = c.Category,
        Organ = c.Organ,
        LesionKind = c.LesionKind,
        Prompt = c.Prompt,
        ToleranceMm = _options.ToleranceMm,
    };

    /// <summary>
    /// A result counts as present only when it parses, succeeded, and came from this method version, model package, seed
    /// and tolerance: a resumed run retries failures, and a run with another model package never reuses the old one's
    /// results.
    /// </summary>
    private bool IsComplete(string path, ISegmentationMethod method)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return JsonSerializer.Deserialize<CaseResult>(File.ReadAllText(path), Json) is { Status: "ok" } r &&
                r.MethodVersion == method.Version && r.ModelPackageVersion == method.ModelPackageVersion &&
                r.Seed == _options.Seed && r.ToleranceMm == _options.ToleranceMm;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Write(CaseResult result)
    {
        var path = ResultPath(_options.OutputDirectory, result.Method, result.CaseId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(result, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
