using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Pixels;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Series;

/// <summary>
/// Turns the instances of one CT/MR series into a regular volume. Slices are sorted by Image Position (Patient) projected
/// on the slice normal (row × column cosines, PS3.3 C.7.6.2.1.1), so the volume's k axis always runs along the normal
/// whatever order the instances came in. Single-frame images and Enhanced (multi-frame) CT/MR are both accepted; for the
/// latter, positions, orientation and spacing come from the per-frame and shared functional groups (PS3.3 C.7.6.16).
/// Anything that is not one regular stack fails with a <see cref="SeriesVolumeException"/> naming the rule it broke.
/// </summary>
public static class SeriesVolumeBuilder
{
    /// <summary>Groups files by (Series Instance UID, Frame of Reference UID), the unit <see cref="Build"/> accepts.</summary>
    public static IReadOnlyList<IReadOnlyList<DicomFile>> GroupBySeries(IEnumerable<DicomFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return [.. files
            .GroupBy(f => (Series: f.Dataset.GetSingleStringOrDefault(DicomTags.SeriesInstanceUID) ?? "",
                FrameOfReference: f.Dataset.GetSingleStringOrDefault(DicomTags.FrameOfReferenceUID) ?? ""))
            .Select(g => (IReadOnlyList<DicomFile>)[.. g])];
    }

    public static SeriesVolume Build(IEnumerable<DicomFile> files, SeriesVolumeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= new SeriesVolumeOptions();
        var all = files.ToList();
        if (options.DropLocalizers)
        {
            all.RemoveAll(IsLocalizer);
        }

        if (all.Count == 0)
        {
            throw new SeriesVolumeException(SeriesVolumeError.NoImages, "no image instances to build a volume from");
        }

        RequireSame(all, DicomTags.SeriesInstanceUID, SeriesVolumeError.MixedSeries, "Series Instance UID");
        RequireSame(all, DicomTags.FrameOfReferenceUID, SeriesVolumeError.MixedFrameOfReference, "Frame of Reference UID");

        var frames = all.SelectMany(Frames).ToList();
        var first = frames[0];
        foreach (var f in frames)
        {
            if ((f.Row - first.Row).Length > options.OrientationTolerance || (f.Column - first.Column).Length > options.OrientationTolerance)
            {
                throw new SeriesVolumeException(SeriesVolumeError.InconsistentOrientation,
                    $"{f.Describe()} has orientation {f.Row}/{f.Column}, the first slice {first.Row}/{first.Column} (a localizer or a second stack?)");
            }

            if (f.Rows != first.Rows || f.Columns != first.Columns)
            {
                throw new SeriesVolumeException(SeriesVolumeError.MixedImageSize,
                    $"{f.Describe()} is {f.Columns}×{f.Rows}, the first slice {first.Columns}×{first.Rows}");
            }

            if (Math.Abs(f.SpacingX - first.SpacingX) > 1e-3 * first.SpacingX || Math.Abs(f.SpacingY - first.SpacingY) > 1e-3 * first.SpacingY)
            {
                throw new SeriesVolumeException(SeriesVolumeError.InconsistentPixelSpacing,
                    $"{f.Describe()} has pixel spacing {f.SpacingY}\\{f.SpacingX}, the first slice {first.SpacingY}\\{first.SpacingX}");
            }
        }

        var normal = Vector3D.Cross(first.Row, first.Column).Normalized();
        frames.Sort((a, b) => Vector3D.Dot(a.Position, normal).CompareTo(Vector3D.Dot(b.Position, normal)));
        var spacingZ = CheckStack(frames, normal, options);

        var direction = new Matrix3D(first.Row.Normalized(), first.Column.Normalized(), normal);
        var geometry = new VolumeGeometry(first.Columns, first.Rows, frames.Count, frames[0].Position,
            new Vector3D(first.SpacingX, first.SpacingY, spacingZ), direction);
        var volume = ReadPixels(frames, geometry);
        var slices = frames.Select(f => new SourceSlice(
            f.File.Dataset.GetSingleStringOrDefault(DicomTags.SOPClassUID) ?? "",
            f.File.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID) ?? "",
            f.MultiFrame ? f.FrameIndex + 1 : null,
            f.Position)).ToList();
        var lossy = all.Any(f => f.Dataset.GetSingleStringOrDefault(DicomTags.LossyImageCompression) == "01");
        return new SeriesVolume(volume, slices, all[0].Dataset, lossy);
    }

    /// <summary>Checks duplicates, tilt, gaps and uniformity of the sorted stack; returns the slice spacing (mm).</summary>
    private static double CheckStack(List<Frame> frames, Vector3D normal, SeriesVolumeOptions options)
    {
        if (frames.Count == 1)
        {
            var thickness = frames[0].File.Dataset.GetValueOrDefault(DicomTags.SpacingBetweenSlices,
                frames[0].File.Dataset.GetValueOrDefault(DicomTags.SliceThickness, 1.0));
            return thickness > 0 ? thickness : 1.0;
        }

        var steps = new double[frames.Count - 1];
        for (var n = 0; n < steps.Length; n++)
        {
            var d = frames[n + 1].Position - frames[n].Position;
            var along = Vector3D.Dot(d, normal);
            if (along < options.DuplicatePositionToleranceMm)
            {
                throw new SeriesVolumeException(SeriesVolumeError.DuplicatePosition,
                    $"{frames[n].Describe()} and {frames[n + 1].Describe()} share position {Vector3D.Dot(frames[n].Position, normal):F3} mm along the normal");
            }

            steps[n] = along;
        }

        var span = frames[^1].Position - frames[0].Position;
        var alongSpan = Vector3D.Dot(span, normal);
        var inPlane = (span - normal * alongSpan).Length;
        var tilt = Math.Atan2(inPlane, alongSpan) * 180 / Math.PI;
        if (tilt > options.MaxTiltDegrees)
        {
            throw new SeriesVolumeException(SeriesVolumeError.GantryTilt,
                $"slice positions drift {inPlane:F2} mm in-plane over {alongSpan:F2} mm ({tilt:F2}° off the normal): a tilted, sheared stack");
        }

        var sorted = (double[])steps.Clone();
        Array.Sort(sorted);
        var median = sorted[sorted.Length / 2];
        for (var n = 0; n < steps.Length; n++)
        {
            if (steps[n] > 1.5 * median)
            {
                throw new SeriesVolumeException(SeriesVolumeError.MissingSlice,
                    $"gap of {steps[n]:F3} mm between {frames[n].Describe()} and {frames[n + 1].Describe()} (usual spacing {median:F3} mm)");
            }

            if (Math.Abs(steps[n] - median) > options.SpacingTolerance * median)
            {
                throw new SeriesVolumeException(SeriesVolumeError.NonUniformSpacing,
                    $"step of {steps[n]:F3} mm after {frames[n].Describe()} differs from the usual {median:F3} mm");
            }
        }

        // Mean step: the best estimate of the spacing given positions rounded in DS text.
        return alongSpan / steps.Length;
    }

    private static Volume<float> ReadPixels(List<Frame> frames, VolumeGeometry geometry)
    {
        var pixelData = new Dictionary<DicomFile, DicomPixelData>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var f in frames)
            {
                if (!pixelData.ContainsKey(f.File))
                {
                    var p = DicomPixelData.Create(f.File);
                    if (p.SamplesPerPixel != 1)
                    {
                        throw new SeriesVolumeException(SeriesVolumeError.UnsupportedPixelData,
                            $"{f.Describe()} has {p.SamplesPerPixel} samples per pixel ({p.PhotometricInterpretation}); CT/MR volumes need greyscale");
                    }

                    pixelData[f.File] = p;
                }
            }

            var volume = new Volume<float>(geometry);
            Parallel.For(0, frames.Count, k => pixelData[frames[k].File].GetModalityValues(frames[k].FrameIndex, volume.Slice(k)));
            return volume;
        }
        catch (Exception e) when (e is UnsupportedTransferSyntaxException or DicomFormatException or InvalidOperationException or NotSupportedException
            or AggregateException)
        {
            var inner = e is AggregateException a ? a.InnerException ?? a : e;
            throw new SeriesVolumeException(SeriesVolumeError.UnsupportedPixelData, $"pixel data could not be decoded: {inner.Message}", inner);
        }
    }

    /// <summary>Image Type (0008,0008) value 3 or later says LOCALIZER: a scout, not part of a volume (PS3.3 C.8.2.1.1.1).</summary>
    internal static bool IsLocalizer(DicomFile f) =>
        f.Dataset.TryGetString(DicomTags.ImageType, out var type) &&
        type.Split('\\').Any(v => v.Trim().Equals("LOCALIZER", StringComparison.OrdinalIgnoreCase));

    private static void RequireSame(List<DicomFile> files, DicomTag tag, SeriesVolumeError error, string name)
    {
        var values = files.Select(f => f.Dataset.GetSingleStringOrDefault(tag) ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (values.Count > 1 || values[0].Length == 0)
        {
            throw new SeriesVolumeException(error, values.Count > 1
                ? $"{values.Count} different values of {name}: {string.Join(", ", values.Take(3))}"
                : $"{name} is missing");
        }
    }

    /// <summary>One slice candidate: a single-frame image, or one frame of an Enhanced image.</summary>
    private sealed record Frame(DicomFile File, int FrameIndex, bool MultiFrame, Vector3D Position, Vector3D Row, Vector3D Column,
        double SpacingX, double SpacingY, int Rows, int Columns)
    {
        public string Describe() => MultiFrame
            ? $"frame {FrameIndex + 1} of {File.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)}"
            : $"instance {File.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)}";
    }

    private static IEnumerable<Frame> Frames(DicomFile file)
    {
        var ds = file.Dataset;
        var rows = ds.GetValueOrDefault(DicomTags.Rows, 0);
        var columns = ds.GetValueOrDefault(DicomTags.Columns, 0);
        if (ds.TryGetSequence(DicomTags.PerFrameFunctionalGroupsSequence, out var perFrame))
        {
            ds.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var shared);
            var sharedItem = shared?.Items.Count > 0 ? shared.Items[0] : null;
            for (var n = 0; n < perFrame.Items.Count; n++)
            {
                var item = perFrame.Items[n];
                var position = FromGroups(item, sharedItem, DicomTags.PlanePositionSequence, DicomTags.ImagePositionPatient, 3, file, n);
                var orientation = FromGroups(item, sharedItem, DicomTags.PlaneOrientationSequence, DicomTags.ImageOrientationPatient, 6, file, n);
                var spacing = FromGroups(item, sharedItem, DicomTags.PixelMeasuresSequence, DicomTags.PixelSpacing, 2, file, n);
                yield return Make(file, n, true, position, orientation, spacing, rows, columns);
            }

            yield break;
        }

        yield return Make(file, 0, false,
            Values(ds, DicomTags.ImagePositionPatient, 3, file),
            Values(ds, DicomTags.ImageOrientationPatient, 6, file),
            Values(ds, DicomTags.PixelSpacing, 2, file), rows, columns);
    }

    private static Frame Make(DicomFile file, int index, bool multi, double[] p, double[] o, double[] s, int rows, int columns)
    {
        var row = new Vector3D(o[0], o[1], o[2]);
        var column = new Vector3D(o[3], o[4], o[5]);
        if (Math.Abs(row.Length - 1) > 0.01 || Math.Abs(column.Length - 1) > 0.01 || Math.Abs(Vector3D.Dot(row, column)) > 0.01
            || !(s[0] > 0 && s[1] > 0) || rows <= 0 || columns <= 0)
        {
            throw new SeriesVolumeException(SeriesVolumeError.MissingGeometry,
                $"{file.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)}: malformed orientation, pixel spacing or size");
        }

        // Pixel Spacing is "row spacing \ column spacing": the distance between rows (along the column direction, j) first.
        return new Frame(file, index, multi, new Vector3D(p[0], p[1], p[2]), row.Normalized(), column.Normalized(), s[1], s[0], rows, columns);
    }

    private static double[] FromGroups(DicomDataset perFrame, DicomDataset? shared, DicomTag sequence, DicomTag tag, int count, DicomFile file, int frame)
    {
        foreach (var group in shared is null ? [perFrame] : new[] { perFrame, shared })
        {
            if (group.TryGetSequence(sequence, out var seq) && seq.Items.Count > 0 && seq.Items[0].Contains(tag))
            {
                return Values(seq.Items[0], tag, count, file);
            }
        }

        throw new SeriesVolumeException(SeriesVolumeError.MissingGeometry,
            $"frame {frame + 1} of {file.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)} has no {tag} in its functional groups");
    }

    private static double[] Values(DicomDataset ds, DicomTag tag, int count, DicomFile file)
    {
        double[] values;
        try
        {
            values = ds.Contains(tag) ? ds.GetValues<double>(tag) : [];
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException)
        {
            values = [];
        }

        return values.Length == count && values.All(double.IsFinite)
            ? values
            : throw new SeriesVolumeException(SeriesVolumeError.MissingGeometry,
                $"{file.Dataset.GetSingleStringOrDefault(DicomTags.SOPInstanceUID)}: {tag} needs {count} numbers, has {values.Length}");
    }
}
