using System.Diagnostics;
using DiffuGts.Dicom;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;

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
        var instances = new List<DicomFile>(request.InstanceFiles.Count);
        try
        {
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
        var segments = request.Prompts.Select((p, i) => (PromptSegments.Definition(p), result.Prompts[i].Mask)).ToList();
        var files = await ResultObjectWriter.WriteAsync(source, instances, segments, new ResultWriterOptions
        {
            OutputDirectory = request.OutputDirectory,
            Model = manifest,
            DerivationKey = PromptSegments.DerivationKey(
                request.InstanceFiles.Select(f => Path.GetFileNameWithoutExtension(f)), request.Job.Route.RuleName, request.Prompts, manifest),
            NoFindings = inference.SendNoFindingResult ? NoFindingsBehavior.SendEmptySegmentation : NoFindingsBehavior.SendNothing,
            FlushToDisk = settings().Storage.FlushToDisk,
        }, cancellationToken);
        stages["encode"] = Lap(clock);
        return new SeriesSegmentationResult(files.Dicom, result.Prompts.Sum(p => p.Lesions.Count), stages);
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(seconds, 3, MidpointRounding.AwayFromZero);
    }
}
