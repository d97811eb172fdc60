using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>A CT series on disk as a modality would send it: its files in slice order and its UIDs.</summary>
internal sealed record PhantomStudy(IReadOnlyList<string> Files, string StudyInstanceUid, string SeriesInstanceUid)
{
    /// <summary>The committed sample study dicom-samples/ct-synthetic (64 slices of 128 × 128).</summary>
    public static PhantomStudy Sample(string repositoryRoot) =>
        FromFolder(Path.Combine(repositoryRoot, "dicom-samples", "ct-synthetic", "dicom"));

    /// <summary>
    /// A small abdominal phantom written under <paramref name="folder"/>: 16 × 16 × 12 voxels of 6 mm, about one model
    /// tile, so a job takes seconds. A different <paramref name="seed"/> gives a different study and series.
    /// </summary>
    public static PhantomStudy Write(string folder, ulong seed)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, SizeX = 16, SizeY = 16, SizeZ = 12, Spacing = new Vector3D(6, 6, 6) });
        PhantomWriter.Write(phantom, folder, PhantomOutputFormat.Dicom);
        return FromFolder(Path.Combine(folder, "dicom"));
    }

    /// <summary>The same series without the file at <paramref name="index"/> (e.g. a slice lost in the middle).</summary>
    public PhantomStudy Without(int index) => this with { Files = [.. Files.Where((_, i) => i != index)] };

    /// <summary>The SOP Instance UID of one of the files.</summary>
    public static string SopInstanceUid(string file) => DicomFile.Open(File.ReadAllBytes(file)).Dataset.GetString(DicomTags.SOPInstanceUID);

    private static PhantomStudy FromFolder(string folder)
    {
        var files = Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToList();
        var first = DicomFile.Open(File.ReadAllBytes(files[0])).Dataset;
        return new PhantomStudy(files, first.GetString(DicomTags.StudyInstanceUID), first.GetString(DicomTags.SeriesInstanceUID));
    }
}
