using System.IO.Compression;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Phantoms;

/// <summary>dicom-samples/ct-synthetic must be exactly what its documented command makes (dicom-samples/README.md).</summary>
public sealed class SampleStudyTests
{
    /// <summary>The options of: diffugts phantom --out dicom-samples/ct-synthetic --seed 42 --size 128x128x64 --spacing 3x3x3
    /// --region abdomen --phase portal-venous --lesion liver:hypodense --format dicom</summary>
    internal static PhantomOptions SampleOptions { get; } = new()
    {
        Seed = 42, SizeX = 128, SizeY = 128, SizeZ = 64, Spacing = new Vector3D(3, 3, 3), Region = PhantomRegion.Abdomen,
        Phase = ContrastPhase.PortalVenous, Lesions = [new(PhantomLabel.Liver, LesionKind.Hypodense)],
    };

    [Fact]
    public void Regenerate_DocumentedCommand_ReproducesCommittedFiles()
    {
        var committed = Path.Combine(RepositoryRoot.Find(), "dicom-samples", "ct-synthetic");
        using var temp = new TempDirectory("phantom-sample");
        var written = PhantomWriter.Write(PhantomGenerator.Generate(SampleOptions), temp.Path, PhantomOutputFormat.Dicom);

        var committedFiles = Directory.GetFiles(committed, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(committed, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(written.Order(StringComparer.Ordinal).ToArray(), committedFiles);
        foreach (var file in written)
        {
            var fresh = Path.Combine(temp.Path, file);
            var kept = Path.Combine(committed, file);
            // gzip streams may differ between zlib builds, so NIfTI files compare decompressed (header and voxels).
            var same = file.EndsWith(".gz", StringComparison.Ordinal)
                ? Gunzip(fresh).AsSpan().SequenceEqual(Gunzip(kept))
                : File.ReadAllBytes(fresh).AsSpan().SequenceEqual(File.ReadAllBytes(kept));
            Assert.True(same, $"{file} differs from the committed sample; regenerate it with the command in dicom-samples/README.md " +
                "and bump PhantomGenerator.Version if the change was deliberate");
        }
    }

    private static byte[] Gunzip(string path)
    {
        using var input = File.OpenRead(path);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
