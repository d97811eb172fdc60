using System.Text.Json;
using DiffuGts.Inference.Packages;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// Stored embeddings (docs/model-package.md §6, mode <c>lexicon</c>): <c>{ "embeddings": { "text": [E numbers] } }</c>.
/// A text that is not in the lexicon is refused with <see cref="ModelPackageErrorCode.UnknownPrompt"/>.
/// </summary>
internal sealed class LexiconPromptEncoder : IPromptEncoder
{
    private readonly Dictionary<string, float[]> _embeddings;
    private readonly string _file;

    public LexiconPromptEncoder(string path, string file, int dimension)
    {
        _file = file;
        Dimension = dimension;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = new StrictJsonObject(document.RootElement, string.Empty, file);
            var entries = root.Object("embeddings");
            _embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var entry in entries.Properties())
            {
                var key = entries.KeyPath(entry.Name);
                if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() != dimension)
                {
                    throw entries.Invalid(key, $"must be an array of {dimension} numbers");
                }

                _embeddings.Add(entry.Name, BertSentenceEncoder.Normalised([.. entry.Value.EnumerateArray().Select(v => (float)root.AsNumber(v, key))]));
            }

            root.Close();
        }
        catch (JsonException e)
        {
            throw new ModelPackageException(ModelPackageErrorCode.ManifestSyntax, file, null, e.Message, e);
        }
    }

    public int Dimension { get; }

    public IEnumerable<string> Texts => _embeddings.Keys;

    public float[] Embed(string text, CancellationToken cancellationToken) =>
        _embeddings.TryGetValue(text, out var embedding)
            ? (float[])embedding.Clone()
            : throw new ModelPackageException(ModelPackageErrorCode.UnknownPrompt, _file, null, $"no stored embedding for '{text}'");
}
