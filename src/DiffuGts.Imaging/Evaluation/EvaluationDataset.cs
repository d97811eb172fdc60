using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>
/// Finds the cases of a dataset root in one of the <see cref="DatasetLayout"/>s, sorted by case id (ordinal), and splits
/// them into shards: case i of the sorted list belongs to part i mod N (nnU-Net's <c>-num_parts/-part_id</c>).
/// Layout problems raise <see cref="InvalidDataException"/> naming the file at fault.
/// </summary>
public static partial class EvaluationDataset
{
    public const string Unspecified = "unspecified";

    private static readonly JsonSerializerOptions MetadataJson = new() { PropertyNameCaseInsensitive = true };

    public static DatasetLayout Detect(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"dataset root '{root}' does not exist");
        }

        if (Directory.Exists(Path.Combine(root, "cases")))
        {
            return DatasetLayout.Benchmark;
        }

        var datasetJson = Path.Combine(root, "dataset.json");
        if (!File.Exists(datasetJson))
        {
            throw new InvalidDataException(
                $"'{root}' is neither a benchmark root (cases/ folder) nor an MSD / nnU-Net root (dataset.json)");
        }

        using var document = ParseJson(datasetJson);
        var labels = Labels(document.RootElement, datasetJson);
        return labels.ValueKind == JsonValueKind.Object && labels.EnumerateObject().All(p => int.TryParse(p.Name, out _))
            ? DatasetLayout.Decathlon
            : DatasetLayout.NnUNet;
    }

    /// <summary>All cases, sorted by id; <paramref name="category"/> fills the category where the layout has none.</summary>
    public static IReadOnlyList<EvaluationCase> Discover(string root, string? category = null)
    {
        var layout = Detect(root);
        var cases = layout == DatasetLayout.Benchmark ? Benchmark(root, category) : Decathlon(root, layout, category ?? Unspecified);
        var sorted = cases.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var duplicate = sorted.Zip(sorted.Skip(1)).FirstOrDefault(p => p.First.Id == p.Second.Id);
        if (duplicate.First is not null)
        {
            throw new InvalidDataException($"case id '{duplicate.First.Id}' occurs twice in '{root}'");
        }

        return sorted;
    }

    /// <summary>Part <paramref name="partId"/> of <paramref name="numParts"/>: sorted case i goes to part i mod N.</summary>
    public static IReadOnlyList<EvaluationCase> Shard(IReadOnlyList<EvaluationCase> sortedCases, int numParts, int partId)
    {
        ArgumentNullException.ThrowIfNull(sortedCases);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numParts);
        ArgumentOutOfRangeException.ThrowIfNegative(partId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partId, numParts);
        return sortedCases.Where((_, i) => i % numParts == partId).ToList();
    }

    private static IEnumerable<EvaluationCase> Benchmark(string root, string? category)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(root, "cases")))
        {
            var id = Path.GetFileName(folder);
            var metadataPath = Path.Combine(folder, "case.json");
            if (!File.Exists(metadataPath))
            {
                throw new InvalidDataException($"benchmark case '{id}' has no case.json ({metadataPath})");
            }

            BenchmarkCaseMetadata metadata;
            try
            {
                metadata = JsonSerializer.Deserialize<BenchmarkCaseMetadata>(File.ReadAllText(metadataPath), MetadataJson)
                    ?? throw new InvalidDataException($"{metadataPath} is null");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{metadataPath} is not valid JSON: {e.Message}", e);
            }

            var organs = FindNifti(folder, "organs");
            yield return new EvaluationCase(
                id,
                FindNifti(folder, "image") ?? throw new InvalidDataException($"benchmark case '{id}' has no image.nii(.gz)"),
                FindNifti(folder, "lesion") ?? throw new InvalidDataException($"benchmark case '{id}' has no lesion.nii(.gz)"),
                [],
                organs,
                null,
                metadata.Organ,
                metadata.LesionKind,
                string.IsNullOrWhiteSpace(metadata.Category) ? category ?? Unspecified : metadata.Category.Trim().ToLowerInvariant(),
                metadata.Prompt)
            {
                TargetOrganLabelValues = metadata.OrganLabelValues,
            };
        }
    }

    private static IEnumerable<EvaluationCase> Decathlon(string root, DatasetLayout layout, string category)
    {
        var datasetJson = Path.Combine(root, "dataset.json");
        using var document = ParseJson(datasetJson);
        var names = LabelNames(Labels(document.RootElement, datasetJson), layout, datasetJson);
        var lesion = names.Where(p => p.Key != 0 && LesionName().IsMatch(p.Value)).Select(p => p.Key).Order().ToList();
        if (lesion.Count == 0)
        {
            throw new InvalidDataException(
                $"{datasetJson}: no label name looks like a lesion (tumour, cancer, lesion, mass, metastasis, nodule, neoplasm, necrosis, edema, enhancing)");
        }

        var organLabels = names.Where(p => p.Key != 0 && !lesion.Contains(p.Key)).OrderBy(p => p.Key).ToList();
        var datasetName = document.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "";
        var organ = organLabels.Count > 0 ? string.Join("+", organLabels.Select(p => p.Value)) : datasetName.ToLowerInvariant();
        var lesionKind = string.Join("+", lesion.Select(l => names[l]));
        var ending = document.RootElement.TryGetProperty("file_ending", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString() ?? ".nii.gz"
            : ".nii.gz";

        var split = Directory.Exists(Path.Combine(root, "labelsTs")) ? "Ts" : "Tr";
        var labelsDir = Path.Combine(root, "labels" + split);
        var imagesDir = Path.Combine(root, "images" + split);
        if (!Directory.Exists(labelsDir) || !Directory.Exists(imagesDir))
        {
            throw new InvalidDataException($"'{root}' has neither labelsTs/imagesTs nor labelsTr/imagesTr");
        }

        foreach (var labelPath in Directory.EnumerateFiles(labelsDir, "*" + ending))
        {
            var file = Path.GetFileName(labelPath);
            if (file.StartsWith('.'))
            {
                continue; // macOS resource forks ("._liver_0.nii.gz") ship inside the MSD tarballs.
            }

            var id = file[..^ending.Length];
            var image = new[] { id + "_0000" + ending, id + ending }.Select(f => Path.Combine(imagesDir, f)).FirstOrDefault(File.Exists)
                ?? throw new InvalidDataException($"case '{id}': no image {id}_0000{ending} or {id}{ending} in {imagesDir}");
            yield return new EvaluationCase(id, image, labelPath, lesion,
                organLabels.Count > 0 ? labelPath : null,
                organLabels.Count == 1 ? organLabels[0].Key : null,
                organ, lesionKind, category,
                string.Create(CultureInfo.InvariantCulture, $"{lesionKind.Replace('+', ' ')} in the {(organ.Length > 0 ? organ : "body")}"));
        }
    }

    /// <summary>MSD maps "1" → "liver"; nnU-Net maps "liver" → 1 (or a list of ints for regions).</summary>
    private static Dictionary<int, string> LabelNames(JsonElement labels, DatasetLayout layout, string path)
    {
        var result = new Dictionary<int, string>();
        foreach (var p in labels.EnumerateObject())
        {
            if (layout == DatasetLayout.Decathlon)
            {
                result[int.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetString() ?? "";
                continue;
            }

            var values = p.Value.ValueKind switch
            {
                JsonValueKind.Number => [p.Value.GetInt32()],
                JsonValueKind.Array => p.Value.EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                _ => throw new InvalidDataException($"{path}: label '{p.Name}' maps to {p.Value.ValueKind}, expected an integer"),
            };
            foreach (var v in values)
            {
                result.TryAdd(v, p.Name);
            }
        }

        return result;
    }

    private static JsonElement Labels(JsonElement root, string path) =>
        root.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels
            : throw new InvalidDataException($"{path} has no 'labels' object");

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? FindNifti(string folder, string stem) =>
        new[] { stem + ".nii.gz", stem + ".nii" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);

    [GeneratedRegex("tumou?r|cancer|lesion|mass|metasta|nodule|neoplasm|necro|edema|oedema|enhancing", RegexOptions.IgnoreCase)]
    private static partial Regex LesionName();
}
