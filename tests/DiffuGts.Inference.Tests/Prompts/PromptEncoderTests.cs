using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Prompts;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Prompts;

public sealed class PromptEncoderTests
{
    private static readonly Lazy<MiniLmEncoder> MiniLm = new(() => new MiniLmEncoder(new ExecutionProviderFactory(), ExecutionDevice.Cpu));

    [Fact]
    public void MiniLmEmbed_ExampleSentence_MatchesSentenceTransformersReference()
    {
        // Published all-MiniLM-L6-v2 values (research/text-encoder.md).
        var embedding = MiniLm.Value.Embed("This is an example sentence", CancellationToken.None);
        Assert.Equal(384, embedding.Length);
        Assert.Equal(0.06766f, embedding[0], 4e-5f);
        Assert.Equal(0.06350f, embedding[1], 4e-5f);
        Assert.Equal(0.04871f, embedding[2], 4e-5f);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 1e-5);
    }

    [Fact]
    public void MiniLmEmbed_Synonyms_AreCloserThanUnrelatedFindings()
    {
        var lung = MiniLm.Value.Embed("lung nodule", CancellationToken.None);
        var pulmonary = MiniLm.Value.Embed("pulmonary nodule", CancellationToken.None);
        var kidney = MiniLm.Value.Embed("kidney cyst", CancellationToken.None);
        Assert.True(Dot(lung, pulmonary) > Dot(lung, kidney) + 0.1);
    }

    [Theory]
    [InlineData("HCC", "hepatocellular carcinoma")]
    [InlineData("  RCC   of the left kidney ", "renal cell carcinoma of the left kidney")]
    [InlineData("GBM", "glioblastoma")]
    [InlineData("Liver Tumour", "liver tumour")]
    [InlineData("hccx", "hccx")]
    public void Normalise_Aliases_ExpandWholeWordsOnly(string prompt, string expected) =>
        Assert.Equal(expected, PromptAliases.Normalise(prompt));

    [CachedPythonFact("torch", "onnx")]
    public void EmbedPair_LexiconPackage_ExpandsAliasAndFindsStoredTexts()
    {
        using var package = ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var embedder = new PromptEmbedder(package);
        var viaAlias = embedder.EmbedPair("HCC", CancellationToken.None);
        var spelled = embedder.EmbedPair("hepatocellular carcinoma", CancellationToken.None);
        Assert.Equal(spelled, viaAlias);
        Assert.Equal(32, viaAlias.Length);
        Assert.NotEqual(viaAlias[..16], viaAlias[16..]);
    }

    [CachedPythonFact("torch", "onnx")]
    public void EmbedPair_LexiconWithoutPrompt_ThrowsUnknownPrompt()
    {
        using var package = ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var error = Assert.Throws<ModelPackageException>(() => new PromptEmbedder(package).EmbedPair("spleen cyst", CancellationToken.None));
        Assert.Equal(ModelPackageErrorCode.UnknownPrompt, error.Code);
        Assert.Equal("lexicon.json", error.File);
    }

    [CachedPythonFact("torch", "onnx")]
    public void EmbedPair_PackageTextEncoder_GivesUnitRowsThatDifferBetweenPrompts()
    {
        using var package = ModelPackage.Load(TinyPackages.Get("rflow", "text_encoder"), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var embedder = new PromptEmbedder(package);
        var liver = embedder.EmbedPair("liver tumor", CancellationToken.None);
        var lung = embedder.EmbedPair("lung nodule", CancellationToken.None);
        Assert.Equal(1.0, Math.Sqrt(liver[..16].Sum(v => (double)v * v)), 1e-5);
        Assert.NotEqual(liver, lung);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
