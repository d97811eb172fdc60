using Xunit;

namespace DiffuGts.Testing;

/// <summary>A fact that needs real peers: skipped with a reason where one is missing, run (and failing) under CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute(params string[] executables)
    {
        Executables = executables;
        Skip = Peers.SkipReason(executables, []);
    }

    public string[] Executables { get; }
}

/// <summary>A theory that needs real peers; see <see cref="PeerFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerTheoryAttribute : TheoryAttribute
{
    public PeerTheoryAttribute(params string[] executables)
    {
        Executables = executables;
        Skip = Peers.SkipReason(executables, []);
    }

    public string[] Executables { get; }
}

/// <summary>A fact that needs Debian's Python with the named modules (pydicom, nibabel, numpy, torch).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(params string[] modules)
    {
        Modules = modules;
        Skip = Peers.SkipReason([], modules);
    }

    public string[] Modules { get; }
}
