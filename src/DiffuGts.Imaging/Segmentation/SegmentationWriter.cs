using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Series;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// Builds a BINARY Segmentation (SOP class 1.2.840.10008.5.1.4.1.1.66.4, PS3.3 A.51) over a source CT/MR series: one segment
/// per prompt, frames only where a segment has voxels, segment-major, each frame exactly one source slice on the source grid
/// (facts §4.3, §4.6). Per frame: Derivation Image (source slice + purpose of reference), Plane Position, Frame Content with
/// Dimension Index Values [segment, slice], Segment Identification. Shared: Pixel Measures, Plane Orientation.
/// </summary>
public static class SegmentationWriter
{
    private static readonly DicomTag SegmentationAlgorithmIdentificationSequence = new(0x0062, 0x0007);
    private static readonly DicomTag SegmentsOverlap = new(0x0062, 0x0013);
    private static readonly DicomTag SpatialLocationsPreserved = new(0x0028, 0x135A);

    /// <summary>
    /// The SEG dataset, or null when nothing was found and <see cref="NoFindingsBehavior.SendNothing"/> applies. Masks
    /// (non-zero = inside) must lie on the source grid. Segments without voxels are left out when others have some, so
    /// segment numbers stay 1..N without gaps (facts §4.2, §4.6 point 7).
    /// </summary>
    public static DicomDataset? Create(SeriesVolume source, IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments,
        SegmentationWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        options ??= new SegmentationWriterOptions();
        var g = source.Geometry;
        foreach (var (segment, mask) in segments)
        {
            if (!mask.Geometry.SameGridAs(g))
            {
                throw new ArgumentException($"mask of segment '{segment.Label}' is not on the source grid; resample it first", nameof(segments));
            }
        }

        var plane = g.SizeX * g.SizeY;
        var framesPerSegment = segments.Select(s => Enumerable.Range(0, g.SizeZ)
            .Where(k => s.Mask.Data.AsSpan(k * plane, plane).ContainsAnyExcept((byte)0)).ToArray()).ToList();
        var found = Enumerable.Range(0, segments.Count).Where(n => framesPerSegment[n].Length > 0).ToList();
        var noFindings = found.Count == 0;
        if (noFindings)
        {
            if (options.NoFindings == NoFindingsBehavior.SendNothing || segments.Count == 0)
            {
                return null;
            }

            found = [.. Enumerable.Range(0, segments.Count)];
            framesPerSegment = [.. framesPerSegment.Select(_ => new[] { g.SizeZ / 2 })];
        }

        // Frame list: (segment number 1..N, source slice k), segment-major then increasing k.
        var frames = new List<(int Segment, int Slice, int Input)>();
        for (var n = 0; n < found.Count; n++)
        {
            frames.AddRange(framesPerSegment[found[n]].Select(k => (n + 1, k, found[n])));
        }

        var ds = new DicomDataset();
        var when = options.ContentDateTime ?? DateTimeOffset.Now;
        var seriesUid = DerivedObject.Uid(options, source, "seg-series");
        var instanceUid = DerivedObject.Uid(options, source, "seg-instance");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SegmentationStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, instanceUid);
        DerivedObject.CopyPatientAndStudy(source.Reference, ds);
        DerivedObject.AddContentDateTime(ds, when);
        ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "PRIMARY");
        ds.AddOrUpdate(DicomTags.Modality, "SEG");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, options.SeriesNumber);
        ds.AddOrUpdate(DicomTags.SeriesDescription, noFindings ? "No findings - " + options.SeriesDescription : options.SeriesDescription);
        ds.AddOrUpdate(DicomTags.InstanceNumber, 1);
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, source.Reference.GetString(DicomTags.FrameOfReferenceUID));
        if (source.Reference.TryGetItem(DicomTags.PositionReferenceIndicator, out var pri))
        {
            ds.AddOrUpdate(pri);
        }
        else
        {
            ds.AddEmpty(DicomTags.PositionReferenceIndicator);
        }

        DerivedObject.AddEquipment(ds, options);

        // Content Identification (PS3.3 Table 10-12) and Segmentation Image module (C.8.20.2).
        ds.AddOrUpdate(DicomTags.ContentLabel, options.ContentLabel);
        ds.AddOrUpdate(DicomTags.ContentDescription, noFindings
            ? $"No findings: {string.Join(", ", segments.Select(s => s.Segment.Label))}"
            : string.Join(", ", found.Select(n => segments[n].Segment.Label)));
        ds.AddEmpty(DicomTags.ContentCreatorName);
        ds.AddOrUpdate(DicomTags.SegmentationType, "BINARY");
        ds.AddOrUpdate(SegmentsOverlap, DicomVR.CS, found.Count > 1 ? "UNDEFINED" : "NO");
        DerivedObject.AddLossyCompression(ds, source);
        ds.AddOrUpdate(DicomTags.SegmentSequence, [.. found.Select((n, i) => SegmentItem(segments[n].Segment, i + 1, options))]);

        // Image Pixel for BINARY (C.8.20.2): 1/1/0, MONOCHROME2, the source's rows and columns.
        DerivedObject.AddImagePixel(ds, g, samplesPerPixel: 1, "MONOCHROME2", bits: 1);
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var dimensionUid = DerivedObject.Uid(options, source, "seg-dimensions");
        AddDimensions(ds, dimensionUid);
        ds.AddOrUpdate(DicomTags.SharedFunctionalGroupsSequence, SharedGroups(source));
        ds.AddOrUpdate(DicomTags.PerFrameFunctionalGroupsSequence, [.. frames.Select(f => FrameGroups(source, f.Segment, f.Slice))]);

        var referenced = frames.Select(f => source.Slices[f.Slice]).ToList();
        ds.AddOrUpdate(DicomTags.ReferencedSeriesSequence, DerivedObject.ReferencedSeries(source, referenced));
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, Pack(frames, segments, g, noFindings));
        return ds;
    }

    /// <summary>The SEG as a Part 10 file in Explicit VR Little Endian (facts §4.3: native, never RLE, for BINARY).</summary>
    public static DicomFile? CreateFile(SeriesVolume source, IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments,
        SegmentationWriterOptions? options = null) =>
        Create(source, segments, options) is { } ds ? new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian) : null;

    private static DicomDataset SegmentItem(SegmentDefinition s, int number, SegmentationWriterOptions o)
    {
        var item = new DicomDataset()
            .AddOrUpdate(DicomTags.SegmentNumber, (ushort)number)
            .AddOrUpdate(DicomTags.SegmentLabel, s.Label)
            .AddOrUpdate(DicomTags.SegmentAlgorithmType, "AUTOMATIC")
            .AddOrUpdate(DicomTags.SegmentAlgorithmName, o.AlgorithmName)
            .AddOrUpdate(DicomTags.SegmentedPropertyCategoryCodeSequence, s.Category.ToItem())
            .AddOrUpdate(DicomTags.SegmentedPropertyTypeCodeSequence, s.Type.ToItem())
            .AddOrUpdate(DicomTags.RecommendedDisplayCIELabValue, CieLab.ToDicomScaled(s.Color));
        if (s.Description is { } description)
        {
            item.AddOrUpdate(DicomTags.SegmentDescription, description);
        }

        if (s.AnatomicRegion is { } region)
        {
            item.AddOrUpdate(DicomTags.AnatomicRegionSequence, region.ToItem());
        }

        var algorithm = new DicomDataset()
            .AddOrUpdate(DicomTags.AlgorithmFamilyCodeSequence, CodedConcept.ArtificialIntelligence.ToItem())
            .AddOrUpdate(DicomTags.AlgorithmName, o.AlgorithmName)
            .AddOrUpdate(DicomTags.AlgorithmVersion, o.AlgorithmVersion);
        item.AddOrUpdate(new DicomSequence(SegmentationAlgorithmIdentificationSequence, algorithm));
        return item;
    }

    /// <summary>Multi-frame Dimension (C.7.6.17): segment number slowest, then Image Position (Patient).</summary>
    private static void AddDimensions(DicomDataset ds, string uid)
    {
        ds.AddOrUpdate(DicomTags.DimensionOrganizationSequence, new DicomDataset().AddOrUpdate(DicomTags.DimensionOrganizationUID, uid));
        ds.AddOrUpdate(DicomTags.DimensionOrganizationType, "3D");
        ds.AddOrUpdate(DicomTags.DimensionIndexSequence,
            new DicomDataset()
                .AddOrUpdate(DicomTags.DimensionOrganizationUID, uid)
                .AddOrUpdate(DicomTags.DimensionIndexPointer, DicomTags.ReferencedSegmentNumber)
                .AddOrUpdate(DicomTags.FunctionalGroupPointer, DicomTags.SegmentIdentificationSequence)
                .AddOrUpdate(DicomTags.DimensionDescriptionLabel, "Segment Number"),
            new DicomDataset()
                .AddOrUpdate(DicomTags.DimensionOrganizationUID, uid)
                .AddOrUpdate(DicomTags.DimensionIndexPointer, DicomTags.ImagePositionPatient)
                .AddOrUpdate(DicomTags.FunctionalGroupPointer, DicomTags.PlanePositionSequence)
                .AddOrUpdate(DicomTags.DimensionDescriptionLabel, "Image Position Patient"));
    }

    private static DicomDataset SharedGroups(SeriesVolume source)
    {
        var g = source.Geometry;
        var thickness = source.Reference.GetValueOrDefault(DicomTags.SliceThickness, g.Spacing.Z);
        var measures = new DicomDataset()
            .AddOrUpdate(DicomTags.PixelSpacing, g.Spacing.Y, g.Spacing.X)
            .AddOrUpdate(DicomTags.SliceThickness, thickness > 0 ? thickness : g.Spacing.Z)
            .AddOrUpdate(DicomTags.SpacingBetweenSlices, g.Spacing.Z);
        var d = g.Direction;
        var orientation = new DicomDataset()
            .AddOrUpdate(DicomTags.ImageOrientationPatient, d.C0.X, d.C0.Y, d.C0.Z, d.C1.X, d.C1.Y, d.C1.Z);
        return new DicomDataset()
            .AddOrUpdate(DicomTags.PixelMeasuresSequence, measures)
            .AddOrUpdate(DicomTags.PlaneOrientationSequence, orientation);
    }

    private static DicomDataset FrameGroups(SeriesVolume source, int segment, int slice)
    {
        var s = source.Slices[slice];
        var sourceImage = DerivedObject.Reference(s.SopClassUid, s.SopInstanceUid, s.FrameNumber, withPurpose: true)
            .AddOrUpdate(SpatialLocationsPreserved, DicomVR.CS, "YES");
        var derivation = new DicomDataset()
            .AddOrUpdate(DicomTags.DerivationCodeSequence, CodedConcept.SegmentationDerivation.ToItem())
            .AddOrUpdate(DicomTags.SourceImageSequence, sourceImage);
        var p = source.Geometry.IndexToPatient(0, 0, slice);
        return new DicomDataset()
            .AddOrUpdate(DicomTags.DerivationImageSequence, derivation)
            .AddOrUpdate(DicomTags.FrameContentSequence,
                new DicomDataset().AddOrUpdate(DicomTags.DimensionIndexValues, (uint)segment, (uint)(slice + 1)))
            .AddOrUpdate(DicomTags.PlanePositionSequence, new DicomDataset().AddOrUpdate(DicomTags.ImagePositionPatient, p.X, p.Y, p.Z))
            .AddOrUpdate(DicomTags.SegmentIdentificationSequence,
                new DicomDataset().AddOrUpdate(DicomTags.ReferencedSegmentNumber, (ushort)segment));
    }

    /// <summary>
    /// Frames bit-packed contiguously, first pixel in the least significant bit, no per-frame byte alignment (PS3.5 §8.1.1,
    /// facts §1.5); padded to an even length.
    /// </summary>
    private static byte[] Pack(List<(int Segment, int Slice, int Input)> frames, IReadOnlyList<(SegmentDefinition Segment, Volume<byte> Mask)> segments,
        VolumeGeometry g, bool empty)
    {
        long plane = (long)g.SizeX * g.SizeY;
        var bits = frames.Count * plane;
        var bytes = (bits + 7) / 8;
        var packed = new byte[bytes + (bytes & 1)];
        if (empty)
        {
            return packed;
        }

        void PackFrame(int f)
        {
            var (_, slice, input) = frames[f];
            var src = segments[input].Mask.Data.AsSpan((int)(slice * plane), (int)plane);
            var bit = f * plane;
            for (var n = 0; n < src.Length; n++)
            {
                if (src[n] != 0)
                {
                    var b = bit + n;
                    packed[b >> 3] |= (byte)(1 << (int)(b & 7));
                }
            }
        }

        // Frames share boundary bytes unless a frame is a whole number of bytes; only then may threads pack frames apart.
        if (plane % 8 == 0)
        {
            Parallel.For(0, frames.Count, PackFrame);
        }
        else
        {
            for (var f = 0; f < frames.Count; f++)
            {
                PackFrame(f);
            }
        }

        return packed;
    }
}
