using System.Reflection;
using Xunit;

namespace DiffuGts.Architecture.Tests;

/// <summary>STYLE §3: dependencies point one way. A reference against the arrow is a failing test, not a review comment.</summary>
public sealed class DependencyDirectionTests
{
    public static TheoryData<Assembly, string[]> Forbidden => new()
    {
        { typeof(DiffuGts.Dicom.AssemblyMarker).Assembly, ["DiffuGts.Dicom.Network", "DiffuGts.Imaging", "DiffuGts.Inference", "DiffuGts.Node", "Microsoft.Extensions.Hosting", "Microsoft.ML.OnnxRuntime"] },
        { typeof(DiffuGts.Dicom.Network.AssemblyMarker).Assembly, ["DiffuGts.Imaging", "DiffuGts.Inference", "DiffuGts.Node", "Microsoft.Extensions.Hosting", "Microsoft.ML.OnnxRuntime"] },
        { typeof(DiffuGts.Imaging.AssemblyMarker).Assembly, ["DiffuGts.Dicom.Network", "DiffuGts.Inference", "DiffuGts.Node", "Microsoft.Extensions.Hosting", "Microsoft.ML.OnnxRuntime"] },
        { typeof(DiffuGts.Inference.AssemblyMarker).Assembly, ["DiffuGts.Dicom", "DiffuGts.Dicom.Network", "DiffuGts.Node", "Microsoft.Extensions.Hosting"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void References_LibraryAssembly_PointsOnlyDownTheDag(Assembly assembly, string[] forbidden)
    {
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var violations = referenced.Where(r => forbidden.Any(f => r == f || r.StartsWith(f + ".", StringComparison.Ordinal))).ToList();
        Assert.True(violations.Count == 0, $"{assembly.GetName().Name} must not reference: {string.Join(", ", violations)}");
    }

    [Fact]
    public void DicomCore_References_OnlyTheBcl()
    {
        var referenced = typeof(DiffuGts.Dicom.AssemblyMarker).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard" && n != "mscorlib")
            .ToList();
        Assert.Empty(referenced);
    }
}
