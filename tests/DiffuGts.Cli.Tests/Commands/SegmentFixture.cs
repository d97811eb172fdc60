using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Cli.Tests.Commands;

/// <summary>
/// One <c>diffugts segment</c> run over a small phantom CT series (48×48×12 at 2 mm: one model tile) with the tiny
/// random-weight package, shared by the tests that inspect its outputs. Prompt 1 is in config/prompts.json ("liver tumor"
/// → "Liver lesion"); prompt 2 is not, so it gets the defaults. The tiny model marks the whole volume, so every output
/// (SEG segments, SC key slices, PNG previews) exists; its accuracy is not what is tested.
/// </summary>
public sealed class SegmentFixture : IAsyncLifetime
{
    public const string ConfiguredPrompt = "liver tumor";

    public const string UnknownPrompt = "odd growth";

    private readonly TempDirectory _temp = new("cli-segment");

    public string SeriesFolder => _temp.Combine("series");

    public string OutFolder => _temp.Combine("out");

    public int ExitCode { get; private set; }

    public string Output { get; private set; } = "";

    public string Error { get; private set; } = "";

    public static string TinyPackage => RepositoryRoot.Combine("deploy", "models", "tiny", "reference-tiny");

    /// <summary>A phantom CT series (DICOM files only) of 48×48×<paramref name="slices"/> voxels of 2 mm.</summary>
    public static string WritePhantomSeries(string folder, ulong seed = 7, int slices = 12)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = seed, SizeX = 48, SizeY = 48, SizeZ = slices, Spacing = new Vector3D(2, 2, 2),
        });
        PhantomWriter.Write(phantom, folder, PhantomOutputFormat.Dicom);
        return Path.Combine(folder, "dicom");
    }

    /// <summary>Rewrites every file of <paramref name="from"/> into <paramref name="to"/> with <paramref name="edit"/> applied.</summary>
    public static void CopySeries(string from, string to, Action<DicomDataset> edit)
    {
        Directory.CreateDirectory(to);
        foreach (var path in Directory.GetFiles(from))
        {
            var file = DicomFile.Open(File.ReadAllBytes(path));
            edit(file.Dataset);
            File.WriteAllBytes(Path.Combine(to, Path.GetFileName(path)), new DicomFile(file.Dataset, file.TransferSyntax).ToArray());
        }
    }

    /// <summary>A new Series Instance UID, and SOP Instance UIDs below it, for a copied series.</summary>
    public static Action<DicomDataset> AsSeries(string seriesUid, int number, string description) => ds =>
    {
        var instance = ds.GetString(DicomTags.SOPInstanceUID).Trim();
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, seriesUid + "." + instance[(instance.LastIndexOf('.') + 1)..]);
        ds.AddOrUpdate(DicomTags.SeriesNumber, number);
        ds.AddOrUpdate(DicomTags.SeriesDescription, description);
    };

    public async Task InitializeAsync()
    {
        WritePhantomSeries(SeriesFolder);
        (ExitCode, Output, Error) = await CliRunner.RunAsync(
            "segment", Path.Combine(SeriesFolder, "dicom"), "--prompt", ConfiguredPrompt, "--prompt", UnknownPrompt, "--out", OutFolder,
            "--model", TinyPackage, "--steps", "2");
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
