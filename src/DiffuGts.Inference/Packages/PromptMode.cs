namespace DiffuGts.Inference.Packages;

/// <summary>Where prompt embeddings come from (docs/model-package.md §6).</summary>
public enum PromptMode
{
    MiniLm,
    TextEncoder,
    Lexicon,
}
