namespace DiffuGts.Inference.Packages;

/// <summary>Why a model package was refused (docs/model-package.md §9).</summary>
public enum ModelPackageErrorCode
{
    ManifestMissing,
    ManifestSyntax,
    UnsupportedVersion,
    UnknownKey,
    MissingKey,
    InvalidValue,
    FileMissing,
    HashMismatch,
    GraphLoadFailed,
    GraphSignatureMismatch,
    UnknownPrompt,
    NonFiniteOutput,
}
