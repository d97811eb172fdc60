using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using Microsoft.ML.Tokenizers;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// Sentence embedding with a BERT-style ONNX encoder: WordPiece tokens with [CLS]/[SEP], the graph's
/// <c>last_hidden_state</c>, mean over the tokens whose attention mask is 1, then L2 normalisation
/// (sentence-transformers' mean pooling; research/text-encoder.md).
/// </summary>
internal sealed class BertSentenceEncoder : IPromptEncoder
{
    private readonly OnnxGraph _graph;
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxTokens;

    public BertSentenceEncoder(OnnxGraph graph, BertTokenizer tokenizer, int dimension, int maxTokens)
    {
        _graph = graph;
        _tokenizer = tokenizer;
        Dimension = dimension;
        _maxTokens = maxTokens;
    }

    public int Dimension { get; }

    public float[] Embed(string text, CancellationToken cancellationToken)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true).ToList();
        if (ids.Count > _maxTokens)
        {
            // Keep [CLS] … and the closing [SEP].
            ids = [.. ids.Take(_maxTokens - 1), ids[^1]];
        }

        var n = ids.Count;
        var inputs = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [GraphContract.InputIds] = new LongTensor([.. ids.Select(i => (long)i)], [1, n]),
            [GraphContract.AttentionMask] = new LongTensor([.. Enumerable.Repeat(1L, n)], [1, n]),
            [GraphContract.TokenTypeIds] = new LongTensor(new long[n], [1, n]),
        };
        var hidden = _graph.Run(inputs, cancellationToken, [GraphContract.LastHiddenState])[GraphContract.LastHiddenState];
        var dim = hidden.Shape[^1];
        if (dim != Dimension)
        {
            throw new ModelPackageException(ModelPackageErrorCode.GraphSignatureMismatch, _graph.File, "outputs[last_hidden_state]",
                $"embedding size {dim}, expected {Dimension}");
        }

        // Mean pooling over the attention mask (all ones for a single unpadded sentence).
        var embedding = new float[dim];
        for (var t = 0; t < n; t++)
        {
            for (var d = 0; d < dim; d++)
            {
                embedding[d] += hidden.Data[(t * dim) + d] / n;
            }
        }

        return Normalised(embedding);
    }

    public static float[] Normalised(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        if (norm > 0)
        {
            for (var d = 0; d < v.Length; d++)
            {
                v[d] = (float)(v[d] / norm);
            }
        }

        return v;
    }
}
