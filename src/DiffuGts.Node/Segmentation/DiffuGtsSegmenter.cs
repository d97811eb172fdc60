using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Overlays;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Node.Jobs;
using DiffuGts.Node.Options;
using DiffuGts.Node.Storage;
using ImagingCode = DiffuGts.Imaging.Segmentation.CodedConcept;
using OverlayColor = DiffuGts.Imaging.Overlays.RgbColor;
using RgbColor = DiffuGts.Node.Options.RgbColor;

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
        var segments = new List<(SegmentDefinition, Volume<byte>)>();
        for (var i = 0; i < request.Prompts.Count; i++)
        {
            var prompt = request.Prompts[i];
            var mask = result.Prompts[i].Mask;
            segments.Add((Definition(prompt), mask));
        }

        var derivationKey = DerivationKey(request, manifest);
        var options = new SegmentationWriterOptions
        {
            AlgorithmName = manifest.Name,
            AlgorithmVersion = manifest.Version,
            DeterministicUids = true,
            DerivationKey = derivationKey,
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

        files.AddRange(await WriteOverlaysAsync(request, source, instances, segments, manifest, derivationKey, cancellationToken));
        stages["encode"] = Lap(clock);
        return new SeriesSegmentationResult(files, result.Prompts.Sum(p => p.Lesions.Count), stages);
    }

    /// <summary>
    /// Secondary-capture overlays (issue 4 §4) for viewers without SEG support: key slices through each prompt's largest
    /// lesion, windowed, outlined in the prompt's colour, with the burned-in legend. None when nothing was found.
    /// </summary>
    private async Task<IReadOnlyList<string>> WriteOverlaysAsync(SeriesSegmentationRequest request, SeriesVolume source,
        IReadOnlyList<DicomFile> instances, IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments, ModelManifest manifest,
        string derivationKey, CancellationToken cancellationToken)
    {
        if (source.Slices.Any(s => s.FrameNumber is not null) || segments.All(s => !s.Mask.Data.AsSpan().ContainsAnyExcept((byte)0)))
        {
            // Multi-frame sources have no per-slice instance to derive an SC from; the SEG carries the result for them.
            return [];
        }

        var byInstance = instances.ToDictionary(f => f.Dataset.GetString(DicomTags.SOPInstanceUID).Trim(), f => f.Dataset, StringComparer.Ordinal);
        var headers = source.Slices.Select(s => byInstance[s.SopInstanceUid]).ToList();
        var overlays = segments.Select(s => new OverlaySegment(s.Segment.Label,
            new OverlayColor((byte)(s.Segment.Color >> 16), (byte)(s.Segment.Color >> 8), (byte)s.Segment.Color), s.Mask)).ToList();
        var writer = new SecondaryCaptureWriter(new SecondaryCaptureOptions { DerivationKey = derivationKey });
        var written = new List<string>();
        var folder = Path.Combine(request.OutputDirectory, "overlays");
        Directory.CreateDirectory(folder);
        foreach (var overlay in writer.Create(headers, source.Volume, overlays, new OverlayModelInfo(manifest.Name, manifest.Version)))
        {
            var path = Path.Combine(folder, $"sc-{overlay.SliceIndex:D4}.dcm");
            await DurableFile.WriteAllBytesAsync(path, new DicomFile(overlay.Dataset).ToArray(), settings().Storage.FlushToDisk, cancellationToken);
            written.Add(path);
        }

        return written;
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
