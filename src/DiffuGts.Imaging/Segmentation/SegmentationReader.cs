using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Pixels;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Reads a BINARY SEG back onto a source grid (for tests and evaluation): each frame is placed by its Plane Position
/// (Image Position (Patient)) and its Segment Identification, so frame order does not matter. Frames whose position is not
/// on a slice of the grid, or whose orientation differs, raise <see cref="InvalidDataException"/>.
/// </summary>
public static class SegmentationReader
{
    /// <summary>A label volume on <paramref name="geometry"/>: voxel = segment number (the highest wins where segments overlap).</summary>
    public static Volume<byte> ReadLabels(DicomFile segmentation, VolumeGeometry geometry)
    {
        var masks = ReadSegments(segmentation, geometry);
        var labels = new Volume<byte>(geometry);
        foreach (var (number, mask) in masks.OrderBy(m => m.Key))
        {
            for (var n = 0; n < mask.Data.Length; n++)
            {
                if (mask.Data[n] != 0)
                {
                    labels.Data[n] = (byte)number;
                }
            }
        }

        return labels;
    }

    /// <summary>One mask per segment number listed in the Segment Sequence.</summary>
    public static IReadOnlyDictionary<int, Volume<byte>> ReadSegments(DicomFile segmentation, VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        ArgumentNullException.ThrowIfNull(geometry);
        var ds = segmentation.Dataset;
        if (ds.GetSingleStringOrDefault(DicomTags.SOPClassUID) != DicomUids.SegmentationStorage)
        {
            throw new InvalidDataException("not a Segmentation Storage instance");
        }

        if (ds.GetSingleStringOrDefault(DicomTags.SegmentationType) != "BINARY")
        {
            throw new InvalidDataException("only BINARY segmentations are read");
        }

        if (ds.GetValueOrDefault(DicomTags.Rows, 0) != geometry.SizeY || ds.GetValueOrDefault(DicomTags.Columns, 0) != geometry.SizeX)
        {
            throw new InvalidDataException("SEG rows/columns differ from the grid");
        }

        var masks = ds.GetSequence(DicomTags.SegmentSequence).Items
            .ToDictionary(i => (int)i.GetValue<ushort>(DicomTags.SegmentNumber), _ => new Volume<byte>(geometry));
        var shared = ds.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var sh) && sh.Items.Count > 0 ? sh.Items[0] : null;
        var perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence).Items;
        var pixels = DicomPixelData.Create(segmentation);
        var plane = geometry.SizeX * geometry.SizeY;
        for (var f = 0; f < perFrame.Count; f++)
        {
            var segment = (int)Group(perFrame[f], shared, DicomTags.SegmentIdentificationSequence).GetValue<ushort>(DicomTags.ReferencedSegmentNumber);
            var o = Group(perFrame[f], shared, DicomTags.PlaneOrientationSequence).GetValues<double>(DicomTags.ImageOrientationPatient);
            if ((new Vector3D(o[0], o[1], o[2]) - geometry.Direction.C0).Length > 1e-3 || (new Vector3D(o[3], o[4], o[5]) - geometry.Direction.C1).Length > 1e-3)
            {
                throw new InvalidDataException($"frame {f + 1} is not in the grid's orientation");
            }

            var p = Group(perFrame[f], shared, DicomTags.PlanePositionSequence).GetValues<double>(DicomTags.ImagePositionPatient);
            var index = geometry.PatientToIndex(new Vector3D(p[0], p[1], p[2]));
            var k = (int)Math.Round(index.Z);
            if (Math.Abs(index.X) > 1e-2 || Math.Abs(index.Y) > 1e-2 || Math.Abs(index.Z - k) > 1e-2 || k < 0 || k >= geometry.SizeZ)
            {
                throw new InvalidDataException($"frame {f + 1} at ({p[0]}, {p[1]}, {p[2]}) is not on a slice of the grid");
            }

            if (!masks.TryGetValue(segment, out var mask))
            {
                throw new InvalidDataException($"frame {f + 1} references segment {segment}, which the Segment Sequence lacks");
            }

            // The core unpacks 1-bit frames to one byte per pixel (PS3.5 §8.1.1).
            pixels.GetFrame(f).Span[..plane].CopyTo(mask.Slice(k));
        }

        return masks;
    }

    private static DicomDataset Group(DicomDataset perFrame, DicomDataset? shared, DicomTag sequence)
    {
        if (perFrame.TryGetSequence(sequence, out var s) && s.Items.Count > 0)
        {
            return s.Items[0];
        }

        return shared is not null && shared.TryGetSequence(sequence, out s) && s.Items.Count > 0
            ? s.Items[0]
            : throw new InvalidDataException($"no {sequence} in the functional groups");
    }
}
