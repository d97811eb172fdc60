using Xunit;

namespace DiffuGts.Testing;

/// <summary>A theory that needs Debian's Python with the named modules; see <see cref="PythonFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute(params string[] modules)
    {
        Modules = modules;
        Skip = Peers.SkipReason([], modules);
    }

    public string[] Modules { get; }
}
