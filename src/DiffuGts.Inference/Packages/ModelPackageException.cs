namespace DiffuGts.Inference.Packages;

/// <summary>
/// A model package that cannot be used, raised at load (never mid-study, except <see cref="ModelPackageErrorCode.NonFiniteOutput"/>
/// and <see cref="ModelPackageErrorCode.UnknownPrompt"/>). Names the package file and the JSON key (docs/model-package.md §9).
/// </summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException()
    {
    }

    public ModelPackageException(string message)
        : base(message)
    {
    }

    public ModelPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelPackageException(ModelPackageErrorCode code, string file, string? key, string detail, Exception? innerException = null)
        : base(Format(code, file, key, detail), innerException)
    {
        Code = code;
        File = file;
        Key = key;
    }

    public ModelPackageErrorCode Code { get; }

    /// <summary>The package file at fault, relative to the package folder (e.g. <c>manifest.json</c>, <c>aova_head.onnx</c>).</summary>
    public string File { get; } = string.Empty;

    /// <summary>The manifest key path (e.g. <c>scheduler.beta_end</c>), or null when the file as a whole is at fault.</summary>
    public string? Key { get; }

    private static string Format(ModelPackageErrorCode code, string file, string? key, string detail) =>
        key is null ? $"model package {code}: {file}: {detail}" : $"model package {code}: {file}: {key}: {detail}";
}
