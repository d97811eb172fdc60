using System.Diagnostics;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// The INPUT of <c>diffugts segment</c>, read before any model is loaded so that a wrong path fails at once: a NIfTI
/// volume, or the series of one DICOM study (a series folder, a study folder, or one multi-frame file), classified by
/// <see cref="SeriesSelector"/>.
/// </summary>
internal sealed class SegmentInput
{
    private SegmentInput(string path, Volume<float>? nifti, IReadOnlyList<SeriesCandidate> series, TimeSpan readTime)
    {
        Path = path;
        Nifti = nifti;
        Series = series;
        ReadTime = readTime;
    }

    public string Path { get; }

    /// <summary>The volume of a NIfTI input (null for DICOM).</summary>
    public Volume<float>? Nifti { get; }

    /// <summary>The series of a DICOM input (empty for NIfTI).</summary>
    public IReadOnlyList<SeriesCandidate> Series { get; }

    public TimeSpan ReadTime { get; }

    /// <exception cref="SegmentInputException">The input is missing, empty, not DICOM or NIfTI, or holds several studies.</exception>
    public static async Task<SegmentInput> ReadAsync(string input, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var clock = Stopwatch.StartNew();
        if (input.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || input.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(input))
            {
                throw new SegmentInputException($"{input} does not exist");
            }

            try
            {
                return new SegmentInput(input, NiftiReader.Read(input).ToFloatVolume(), [], clock.Elapsed);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new SegmentInputException($"{input} is not a readable NIfTI volume: {e.Message}");
            }
        }

        if (!Directory.Exists(input) && !File.Exists(input))
        {
            throw new SegmentInputException($"{input} does not exist");
        }

        var series = await ReadStudyAsync(input, error, cancellationToken);
        return new SegmentInput(input, null, series, clock.Elapsed);
    }

    /// <summary>Every DICOM file under <paramref name="input"/> (or the file itself), as one study's series.</summary>
    private static async Task<IReadOnlyList<SeriesCandidate>> ReadStudyAsync(string input, TextWriter error, CancellationToken cancellationToken)
    {
        var paths = File.Exists(input) ? [input]
            : Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var files = new List<DicomFile>();
        var other = 0;
        foreach (var path in paths)
        {
            if (string.Equals(System.IO.Path.GetFileName(path), "DICOMDIR", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a media directory, not an instance (PS3.10 §8.6)
            }

            try
            {
                files.Add(DicomFile.Open(await File.ReadAllBytesAsync(path, cancellationToken)));
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException)
            {
                other++;
            }
        }

        if (files.Count == 0)
        {
            throw new SegmentInputException(paths.Count == 0
                ? $"{input} is empty: expected a DICOM series or study folder, or a NIfTI file (.nii, .nii.gz)"
                : $"no DICOM file in {input} ({other} file(s) are not DICOM Part 10): expected a DICOM series or study folder, or a NIfTI file");
        }

        var studies = files.Select(f => f.Dataset.GetSingleStringOrDefault(DicomTags.StudyInstanceUID) ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (studies.Count > 1)
        {
            throw new SegmentInputException($"{input} holds {studies.Count} studies ({string.Join(", ", studies.Take(3))}); give the folder of one study");
        }

        var candidates = SeriesSelector.Classify(files);
        await error.WriteLineAsync($"read {files.Count} DICOM file(s) in {candidates.Count} series from {input}" + (other > 0 ? $" ({other} other file(s) ignored)" : ""));
        return candidates;
    }
}
