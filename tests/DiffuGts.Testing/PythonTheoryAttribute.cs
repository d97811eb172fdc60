using System.Collections.Concurrent;
using Xunit;

namespace DiffuGts.Testing;

/// <summary>A theory that needs Debian's Python with the named modules; see <see cref="PythonFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute(params string[] modules)
    {
        Modules = modules;
        Skip = PythonProbe.SkipReason(modules);
    }

    public string[] Modules { get; }
}

/// <summary>
/// As <see cref="PythonFactAttribute"/>, but the import check runs once per module set and process: importing torch
/// takes seconds, and xunit builds one attribute per test (and again at execution).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CachedPythonFactAttribute : FactAttribute
{
    public CachedPythonFactAttribute(params string[] modules)
    {
        Modules = modules;
        Skip = PythonProbe.SkipReason(modules);
    }

    public string[] Modules { get; }
}

/// <summary>Memoised <see cref="Peers.SkipReason"/> for Python modules.</summary>
public static class PythonProbe
{
    private static readonly ConcurrentDictionary<string, Lazy<string?>> Reasons = new(StringComparer.Ordinal);

    public static string? SkipReason(string[] modules) =>
        Reasons.GetOrAdd(string.Join(',', modules), _ => new Lazy<string?>(() => Peers.SkipReason([], modules))).Value;
}
