using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DiffuGts.Dicom;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using ImagingCode = DiffuGts.Imaging.Segmentation.CodedConcept;

namespace DiffuGts.Node.Segmentation;

/// <summary>
/// The node's segmentation of one series (issue 7 §5 with issues 4 and 6): instance files → series volume (geometry
/// checked; a broken series fails with its specific reason at stage "geometry") → DiffuGTS pipeline per prompt →
/// one DICOM SEG with a segment per prompt. Result UIDs are derived from the source instances, the rule, the prompts and
/// the model version, so the same input gives the same SEG (a re-send is not a duplicate) while a series that grew
/// gives a new one.
/// </summary>
public sealed class DiffuGtsSegmenter(SegmentationEngine engine, Func<NodeSettings> settings) : ISeriesSegmenter
{
    public async Task<SeriesSegmentationResult> SegmentAsync(SeriesSegmentationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        SeriesVolume source;
        try
        {
            var instances = new List<DicomFile>(request.InstanceFiles.Count);
            foreach (var path in request.InstanceFiles)
            {
                instances.Add(DicomFile.Open(await File.ReadAllBytesAsync(path, cancellationToken)));
            }

            source = SeriesVolumeBuilder.Build(instances);
        }
        catch (SeriesVolumeException e)
        {
            throw new SegmentationException("geometry", e.Message, e);
        }
        catch (DicomFormatException e)
        {
            throw new SegmentationException("read", e.Message, e);
        }

        stages["load"] = Lap(clock);

        TumorSegmentationPipeline pipeline;
        ModelManifest manifest;
        try
        {
            (pipeline, manifest) = engine.Get(request.ModelDirectory);
        }
        catch (ModelPackageException e)
        {
            throw new SegmentationException("model", e.Message, e);
        }

        var inference = settings().Inference;
        Inference.Pipeline.SegmentationResult result;
        try
        {
            var texts = request.Prompts.Select(p => p.Text).ToList();
            result = await pipeline.SegmentAsync(
                new Inference.Pipeline.SegmentationRequest(source.Volume, texts) { Seed = inference.Seed }, null, cancellationToken);
        }
        catch (InferenceStageException e)
        {
            throw new SegmentationException("inference", e.Message, e);
        }

        foreach (var timing in result.Timings)
        {
            var key = "inference." + timing.Stage.ToString().ToLowerInvariant();
            stages[key] = stages.GetValueOrDefault(key) + timing.Elapsed.TotalSeconds;
        }

        Lap(clock);
        var segments = new List<(SegmentDefinition, Volume<byte>)>();
        for (var i = 0; i < request.Prompts.Count; i++)
        {
            var prompt = request.Prompts[i];
            var mask = result.Prompts[i].Mask;
            segments.Add((Definition(prompt), mask));
        }

        var options = new SegmentationWriterOptions
        {
            AlgorithmName = manifest.Name,
            AlgorithmVersion = manifest.Version,
            DeterministicUids = true,
            DerivationKey = DerivationKey(request, manifest),
            NoFindings = inference.SendNoFindingResult ? NoFindingsBehavior.SendEmptySegmentation : NoFindingsBehavior.SendNothing,
        };
        var files = new List<string>();
        var seg = SegmentationWriter.CreateFile(source, segments, options);
        if (seg is not null)
        {
            Directory.CreateDirectory(request.OutputDirectory);
            var path = Path.Combine(request.OutputDirectory, "seg.dcm");
            var bytes = seg.ToArray();
            await DurableFile.WriteAllBytesAsync(path, bytes, settings().Storage.FlushToDisk, cancellationToken);
            files.Add(path);
        }

        stages["encode"] = Lap(clock);
        return new SeriesSegmentationResult(files, result.Prompts.Sum(p => p.Lesions.Count), stages);
    }

    private static SegmentDefinition Definition(PromptOptions prompt)
    {
        _ = RgbColor.TryParse(prompt.Color, out var color);
        return new SegmentDefinition(prompt.Label)
        {
            Category = Code(prompt.Category) ?? ImagingCode.MorphologicallyAbnormalStructure,
            Type = Code(prompt.Type) ?? ImagingCode.Neoplasm,
            AnatomicRegion = Code(prompt.Anatomy),
            Description = prompt.Text,
            Color = (color.R << 16) | (color.G << 8) | color.B,
        };
    }

    private static ImagingCode? Code(Options.CodedConcept? code) =>
        code is null ? null : new ImagingCode(code.Value, code.Scheme, code.Meaning);

    /// <summary>What makes two results the same result: the source instances, the rule, the prompts and the model.</summary>
    private static string DerivationKey(SeriesSegmentationRequest request, ModelManifest manifest)
    {
        var text = new StringBuilder();
        foreach (var file in request.InstanceFiles.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
        {
            text.Append(file).Append('\n');
        }

        text.Append(request.Job.Route.RuleName).Append('\n');
        foreach (var p in request.Prompts)
        {
            text.Append(p.Label).Append('\t').Append(p.Text).Append('\n');
        }

        text.Append(manifest.Name).Append('\t').Append(manifest.Version);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(seconds, 3, MidpointRounding.AwayFromZero);
    }
}
