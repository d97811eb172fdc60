namespace DiffuGts.Inference.Packages;

/// <summary>Prompt handling: encoder mode, embedding size E and the normal/abnormal templates (each holds <c>{prompt}</c> once).</summary>
public sealed record PromptSpec(
    PromptMode Mode,
    int EmbeddingDim,
    string NormalTemplate,
    string AbnormalTemplate,
    string? VocabFile,
    bool LowerCase,
    int MaxTokens,
    string? LexiconFile);
