using System.Globalization;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Foundry;

/// <summary>
/// The foundry trains on what `diffugts phantom` writes. This contract test generates a case with the C# generator and
/// reads it with the foundry's own Python reader (Debian's python3-nibabel): organs, lesion organ and kind, and the
/// lesion voxels in LPS [z, y, x] must all agree, so a change on either side cannot silently break training data.
/// </summary>
public sealed class PhantomFoundryContractTests
{
    [PythonFact("nibabel", "numpy")]
    public void FoundryReader_GeneratorCase_SeesTheSameOrgansAndLesion()
    {
        using var dir = new TempDirectory();
        var options = new PhantomOptions
        {
            Seed = 11, SizeX = 64, SizeY = 64, SizeZ = 32, Spacing = new Vector3D(6, 6, 6),
            Lesions = [LesionRequest.Parse("liver:hypodense")],
        };
        var phantom = PhantomGenerator.Generate(options);
        var caseFolder = dir.Combine("case-0011");
        PhantomWriter.Write(phantom, caseFolder, PhantomOutputFormat.Nifti);
        var lesionVoxels = phantom.LesionMask.Data.Count(v => v != 0);

        var foundry = Path.Combine(RepositoryRoot.Find(), "deploy", "model-foundry");
        var script = """
            import sys
            from pathlib import Path
            sys.path.insert(0, sys.argv[1])
            from foundry.phantoms import read_directory
            case = read_directory(Path(sys.argv[2]))[0]
            lesion = case.present_lesions()[0]
            print(case.image.shape, sorted(set(case.organs.values())), lesion.organ, lesion.kind, int(case.lesion_mask().sum()))
            """;
        var result = ProcessRunner.Run(Peers.DebianPython, ["-c", script, foundry, dir.Path], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.StandardError);
        var output = result.StandardOutput.Trim();
        Assert.StartsWith("(32, 64, 64)", output, StringComparison.Ordinal);
        Assert.Contains("'kidney'", output, StringComparison.Ordinal);
        Assert.Contains("'liver'", output, StringComparison.Ordinal);
        Assert.EndsWith($"liver hypodense {lesionVoxels.ToString(CultureInfo.InvariantCulture)}", output, StringComparison.Ordinal);
    }
}
