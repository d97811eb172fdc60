namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>The model packages the out-of-process tests run (folders relative to the repository root).</summary>
internal static class ModelPackages
{
    /// <summary>The shipped reference package: the end-to-end test's model.</summary>
    public const string Reference = "deploy/models/reference";

    /// <summary>The tiny random-weight package: fast, finds nothing meaningful; the fault and load tests' model.</summary>
    public const string Tiny = "deploy/models/tiny/reference-tiny";

    /// <summary>
    /// The end-to-end test's package: <see cref="Reference"/>, unless DIFFUGTS_E2E_MODEL names another folder (e.g. the
    /// tiny package on a machine without the reference weights).
    /// </summary>
    public static string EndToEnd => Environment.GetEnvironmentVariable("DIFFUGTS_E2E_MODEL") is { Length: > 0 } other ? other : Reference;
}
