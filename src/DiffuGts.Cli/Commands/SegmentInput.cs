using System.Diagnostics;
using System.Globalization;
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

            if (TryOpen(await File.ReadAllBytesAsync(path, cancellationToken)) is { } file)
            {
                files.Add(file);
                continue;
            }

            other++;
        }

        if (files.Count == 0)
        {
            throw new SegmentInputException(paths.Count == 0
                ? $"{input} is empty: expected a DICOM series or study folder, or a NIfTI file (.nii, .nii.gz)"
                : $"no DICOM file in {input} ({other} file(s) are not DICOM instances): expected a DICOM series or study folder, or a NIfTI file");
        }

        var studies = files.Select(f => f.Dataset.GetSingleStringOrDefault(DicomTags.StudyInstanceUID) ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (studies.Count > 1)
        {
            throw new SegmentInputException($"{input} holds {studies.Count} studies ({string.Join(", ", studies.Take(3))}); give the folder of one study");
        }

        var candidates = SeriesSelector.Classify(files);
        await error.WriteLineAsync($"read {files.Count} DICOM file(s) in {candidates.Count} series from {input}" + (other > 0 ? $" ({other} other file(s) ignored)" : ""));
        foreach (var c in candidates)
        {
            await error.WriteLineAsync($"{Name(c)}: {(c.IsVolume ? "to segment" : "skipped, " + c.SkipReason)}");
        }

        return candidates.Any(c => c.IsVolume) ? candidates
            : throw new SegmentInputException($"no CT or MR volume series in {input} ({candidates.Count} series, each skipped: see above)");
    }

    /// <summary>How progress lines name a series: number, modality, description, instance count.</summary>
    public static string Name(SeriesCandidate c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return $"series {c.SeriesNumber?.ToString(CultureInfo.InvariantCulture) ?? c.SeriesInstanceUid} {c.Modality}"
            + (c.Description.Length > 0 ? $" \"{c.Description}\"" : "") + $" ({c.Instances.Count} instance(s))";
    }

    /// <summary>
    /// The file as a DICOM instance, or null. The reader also takes a bare dataset without preamble, so bytes that happen
    /// to parse count only when they name a SOP instance (PS3.3 C.12.1: SOP Class and SOP Instance UID are Type 1).
    /// </summary>
    private static DicomFile? TryOpen(byte[] bytes)
    {
        try
        {
            var file = DicomFile.Open(bytes);
            return file.Dataset.GetSingleStringOrDefault(DicomTags.SOPClassUID) is { Length: > 0 }
                && file.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID) is { Length: > 0 } ? file : null;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException)
        {
            return null;
        }
    }
}
