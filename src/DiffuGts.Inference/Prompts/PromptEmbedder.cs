using DiffuGts.Inference.Packages;
using Microsoft.ML.Tokenizers;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// The normal/abnormal embedding pair of a prompt for the package's AOVA head (docs/model-package.md §6): alias
/// expansion, the package's two templates, then its encoder (built-in MiniLM, the package's text encoder, or its lexicon).
/// </summary>
public sealed class PromptEmbedder
{
    private readonly PromptSpec _spec;
    private readonly IPromptEncoder _encoder;

    /// <param name="package">The loaded package whose prompt settings apply.</param>
    /// <param name="miniLm">The shared MiniLM encoder; required when the package's mode is <c>minilm</c>.</param>
    public PromptEmbedder(ModelPackage package, IPromptEncoder? miniLm = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        _spec = package.Manifest.Prompts;
        _encoder = _spec.Mode switch
        {
            PromptMode.MiniLm => miniLm ?? throw new ArgumentNullException(nameof(miniLm), "the package uses the built-in MiniLM encoder"),
            PromptMode.Lexicon => new LexiconPromptEncoder(Path.Combine(package.Directory, _spec.LexiconFile!), _spec.LexiconFile!, _spec.EmbeddingDim),
            PromptMode.TextEncoder => PackageTextEncoder(package),
            _ => throw new ArgumentOutOfRangeException(nameof(package), _spec.Mode, "unknown prompt mode"),
        };
    }

    public int Dimension => _spec.EmbeddingDim;

    /// <summary>The two texts the encoder sees: (normal, abnormal).</summary>
    public (string Normal, string Abnormal) Texts(string prompt)
    {
        var text = PromptAliases.Normalise(prompt);
        if (text.Length == 0)
        {
            throw new ArgumentException("a prompt must not be empty", nameof(prompt));
        }

        return (_spec.NormalTemplate.Replace("{prompt}", text, StringComparison.Ordinal), _spec.AbnormalTemplate.Replace("{prompt}", text, StringComparison.Ordinal));
    }

    /// <summary>[2, E] row-major: row 0 normal, row 1 abnormal, each L2-normalised.</summary>
    public float[] EmbedPair(string prompt, CancellationToken cancellationToken)
    {
        var (normal, abnormal) = Texts(prompt);
        var n = _encoder.Embed(normal, cancellationToken);
        var a = _encoder.Embed(abnormal, cancellationToken);
        if (n.Length != Dimension || a.Length != Dimension)
        {
            throw new InvalidOperationException($"prompt encoder gives {n.Length} values, the package expects {Dimension}");
        }

        return [.. n, .. a];
    }

    private static BertSentenceEncoder PackageTextEncoder(ModelPackage package)
    {
        var spec = package.Manifest.Prompts;
        using var vocab = File.OpenRead(Path.Combine(package.Directory, spec.VocabFile!));
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = spec.LowerCase });
        return new BertSentenceEncoder(package.Graph(GraphRole.TextEncoder), tokenizer, spec.EmbeddingDim, spec.MaxTokens);
    }
}
