using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Node.Options;
using DiffuGts.Node.Segmentation;
using Microsoft.Extensions.Configuration;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// One <c>diffugts segment</c> run. A DICOM input is read, sorted into series (<see cref="SeriesSelector"/>) and each CT/MR
/// volume series is segmented; its SEG, SC overlays and PNG previews come from <see cref="ResultObjectWriter"/>, the
/// node's own writer, with UIDs derived from the source instances, the prompts and the model (same input, same UIDs).
/// One series writes into OUT; several write into OUT/series-N. Every series also gets a NIfTI mask, probability map and
/// pseudo-healthy image per prompt, and OUT/findings.json sums up the series used and skipped, the lesions and the timings.
/// </summary>
internal sealed class SegmentRun(TumorSegmentationPipeline pipeline, ModelPackage package, IReadOnlyList<PromptOptions> prompts, string outDir,
    long seed, bool debug, TextWriter output, TextWriter error)
{
    /// <summary>The derivation-key "rule" of command-line results (the node uses its routing rule's name).</summary>
    private const string RuleName = "diffugts segment";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly List<object> _series = [];
    private readonly List<object> _results = [];

    /// <summary>Each prompt text as config/prompts.json describes it, or with the generic defaults (<see cref="PromptSegments.ForText"/>).</summary>
    public static IReadOnlyList<PromptOptions> LoadPrompts(string contentRoot, IReadOnlyList<string> texts)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(contentRoot, "config", "prompts.json"), optional: true, reloadOnChange: false)
            .Build();
        var configured = NodeSettings.Bind(configuration).Prompts.Values.SelectMany(set => set).ToList();
        return [.. texts.Select((text, i) => PromptSegments.ForText(text, i, configured))];
    }

    public async Task RunAsync(SegmentInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var total = Stopwatch.StartNew();
        if (input.Nifti is { } image)
        {
            await SegmentNiftiAsync(input.Path, image, input.ReadTime, cancellationToken);
        }
        else
        {
            await SegmentDicomAsync(input.Path, input.Series, input.ReadTime, cancellationToken);
        }

        var document = new
        {
            input = Path.GetFullPath(input.Path),
            model = new { name = package.Manifest.Name, version = package.Manifest.Version, device = package.Device.ToString() },
            series = input.Nifti is null ? _series : null,
            results = _results,
            total_ms = Math.Round((input.ReadTime + total.Elapsed).TotalMilliseconds, 1),
        };
        await File.WriteAllTextAsync(Path.Combine(outDir, "findings.json"), JsonSerializer.Serialize(document, JsonOptions), cancellationToken);
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"done in {(input.ReadTime + total.Elapsed).TotalSeconds:0.0} s: {Path.Combine(outDir, "findings.json")}"));
    }

    private async Task SegmentNiftiAsync(string path, Volume<float> image, TimeSpan load, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync($"NIfTI {path}: {Describe(image.Geometry)}");
        var (result, segments) = await InferAsync(image, outDir, null, cancellationToken);
        var clock = Stopwatch.StartNew();
        var options = ResultOptions(outDir, "");
        var previews = await ResultObjectWriter.WritePreviewsAsync(image, package.Manifest.Modality, segments, options, cancellationToken);
        Record(null, outDir, image.Geometry, result, new ResultFiles(null, [], previews), load, clock.Elapsed);
    }

    private async Task SegmentDicomAsync(string input, IReadOnlyList<SeriesCandidate> candidates, TimeSpan read, CancellationToken cancellationToken)
    {
        var clock = new Stopwatch();
        var volumes = candidates.Count(c => c.IsVolume);
        var segmented = 0;
        foreach (var candidate in candidates)
        {
            var name = SegmentInput.Name(candidate);
            if (!candidate.IsVolume)
            {
                Skip(candidate, candidate.SkipReason!);
                continue;
            }

            clock.Restart();
            SeriesVolume source;
            try
            {
                source = SeriesVolumeBuilder.Build(candidate.Instances);
            }
            catch (SeriesVolumeException e)
            {
                await error.WriteLineAsync($"{name}: skipped, {e.Message}");
                Skip(candidate, e.Message);
                continue;
            }

            var load = read + clock.Elapsed;
            read = TimeSpan.Zero;
            await error.WriteLineAsync($"{name}: {Describe(source.Geometry)}");
            var folder = volumes == 1 ? outDir : Path.Combine(outDir, "series-" + (candidate.SeriesNumber?.ToString(CultureInfo.InvariantCulture) ?? (segmented + 1).ToString(CultureInfo.InvariantCulture)));
            var (result, segments) = await InferAsync(source.Volume, folder, name, cancellationToken);
            clock.Restart();
            var key = PromptSegments.DerivationKey(source.Slices.Select(s => s.SopInstanceUid), RuleName, prompts, package.Manifest);
            var files = await ResultObjectWriter.WriteAsync(source, candidate.Instances, segments, ResultOptions(folder, key), cancellationToken);
            await error.WriteLineAsync($"{name}: wrote {(files.Segmentation is null ? "no SEG" : "SEG")}, {files.Overlays.Count} SC overlay(s), {files.Previews.Count} preview(s)");
            _series.Add(new { series_instance_uid = candidate.SeriesInstanceUid, series_number = candidate.SeriesNumber, modality = candidate.Modality,
                description = candidate.Description, instances = candidate.Instances.Count, used = true, reason = (string?)null });
            Record(candidate, folder, source.Geometry, result, files, load, clock.Elapsed);
            segmented++;
        }

        if (segmented == 0)
        {
            throw new SegmentInputException($"no CT or MR volume series in {input} could be segmented ({candidates.Count} series, each skipped: see above)");
        }
    }

    /// <summary>Runs the pipeline on one volume and writes its NIfTI outputs into <paramref name="folder"/>.</summary>
    private async Task<(SegmentationResult Result, List<(SegmentDefinition, Volume<byte>)> Segments)> InferAsync(Volume<float> image, string folder,
        string? name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var request = new SegmentationRequest(image, [.. prompts.Select(p => p.Text)])
        {
            Seed = seed,
            DebugDirectory = debug ? Path.Combine(folder, "debug") : null,
        };
        var result = await pipeline.SegmentAsync(request, new StageProgress(error), cancellationToken);
        var segments = new List<(SegmentDefinition, Volume<byte>)>();
        for (var i = 0; i < prompts.Count; i++)
        {
            var prompt = result.Prompts[i];
            var slug = Slug(prompt.Prompt);
            NiftiWriter.Write(Path.Combine(folder, $"{slug}_mask.nii.gz"), prompt.Mask, new NiftiWriteOptions { Description = $"DiffuGts mask: {prompt.Prompt}" });
            NiftiWriter.Write(Path.Combine(folder, $"{slug}_probability.nii.gz"), prompt.Probability);
            if (prompt.PseudoHealthy is { } healthy)
            {
                NiftiWriter.Write(Path.Combine(folder, $"{slug}_pseudo_healthy.nii.gz"), healthy, new NiftiWriteOptions { Description = "DiffuGts pseudo-healthy" });
            }

            segments.Add((PromptSegments.Definition(prompts[i]), prompt.Mask));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(name is null ? "" : name + ", ")}{prompt.Prompt}: {prompt.Lesions.Count} lesion(s), {prompt.Lesions.Sum(l => l.VolumeMl):0.##} mL"));
        }

        return (result, segments);
    }

    private ResultWriterOptions ResultOptions(string folder, string derivationKey) => new()
    {
        OutputDirectory = folder,
        Model = package.Manifest,
        DerivationKey = derivationKey,
        // A command-line run always leaves a SEG, an empty one saying "nothing found" when so.
        NoFindings = NoFindingsBehavior.SendEmptySegmentation,
        Previews = true,
    };

    private void Skip(SeriesCandidate candidate, string reason) =>
        _series.Add(new { series_instance_uid = candidate.SeriesInstanceUid, series_number = candidate.SeriesNumber, modality = candidate.Modality,
            description = candidate.Description, instances = candidate.Instances.Count, used = false, reason });

    private void Record(SeriesCandidate? series, string folder, VolumeGeometry g, SegmentationResult result, ResultFiles files, TimeSpan load, TimeSpan write)
    {
        string Relative(string path) => Path.GetRelativePath(outDir, path).Replace('\\', '/');
        var timings = new List<object> { new { prompt = (string?)null, stage = "Load", ms = Math.Round(load.TotalMilliseconds, 1) } };
        timings.AddRange(result.Timings.Select(t => new { prompt = t.Prompt, stage = t.Stage.ToString(), ms = Math.Round(t.Elapsed.TotalMilliseconds, 1) }));
        timings.Add(new { prompt = (string?)null, stage = "Write", ms = Math.Round(write.TotalMilliseconds, 1) });
        _results.Add(new
        {
            series_instance_uid = series?.SeriesInstanceUid,
            folder = Relative(folder),
            size = new[] { g.SizeX, g.SizeY, g.SizeZ },
            spacing_mm = new[] { g.Spacing.X, g.Spacing.Y, g.Spacing.Z },
            seg = files.Segmentation is null ? null : Relative(files.Segmentation),
            overlays = files.Overlays.Select(Relative),
            previews = files.Previews.Select(Relative),
            prompts = result.Prompts.Select((p, i) => new
            {
                prompt = p.Prompt,
                label = prompts[i].Label,
                color = prompts[i].Color,
                mask = Relative(Path.Combine(folder, $"{Slug(p.Prompt)}_mask.nii.gz")),
                candidate_region = p.CandidateRegionFound,
                volume_ml = p.Lesions.Sum(l => l.VolumeMl),
                lesions = p.Lesions.Select(l => new { label = l.Label, voxels = l.VoxelCount, volume_ml = l.VolumeMl, score = l.Score }),
            }),
            timings_ms = timings,
        });
    }

    private static string Describe(VolumeGeometry g) =>
        string.Create(CultureInfo.InvariantCulture, $"{g.SizeX}×{g.SizeY}×{g.SizeZ} voxels of {g.Spacing.X:0.###}×{g.Spacing.Y:0.###}×{g.Spacing.Z:0.###} mm");

    private static string Slug(string prompt) =>
        new([.. PromptAliases.Normalise(prompt).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
