using System.IO.Compression;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;

namespace DiffuGts.Dicom;

/// <summary>
/// A DICOM Part 10 file (PS3.10 §7.1): a 128-byte preamble, "DICM", the File Meta Information (group 0002, always
/// Explicit VR Little Endian) and the dataset in the transfer syntax named by (0002,0010). Files are read from and written
/// to streams; the library does not open paths (STYLE §3).
/// </summary>
public sealed partial class DicomFile
{
    /// <summary>PS3.10 §7.1: 128-byte preamble, then the four-byte prefix.</summary>
    public const int PreambleLength = 128;

    private static readonly byte[] Prefix = "DICM"u8.ToArray();

    /// <summary>Makes a file from a dataset; the meta information is built when the file is saved.</summary>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax? transferSyntax = null)
        : this(new DicomDataset(), dataset, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian, [], pixelDataOffset: null)
    {
    }

    private DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax, IReadOnlyList<string> warnings, long? pixelDataOffset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        FileMetaInformation = meta;
        Dataset = dataset;
        TransferSyntax = syntax;
        Warnings = warnings;
        PixelDataOffset = pixelDataOffset;
    }

    /// <summary>Group 0002 as read (or as last written).</summary>
    public DicomDataset FileMetaInformation { get; private set; }

    public DicomDataset Dataset { get; }

    public DicomTransferSyntax TransferSyntax { get; private set; }

    /// <summary>What lenient reading tolerated, and unknown character set terms; empty for a conformant file.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>In header-only mode, the offset of the (7FE0,0010) Pixel Data header that was not read; else null.</summary>
    public long? PixelDataOffset { get; }

    /// <summary>Reads a file from bytes in memory; element values are slices of <paramref name="bytes"/>.</summary>
    public static DicomFile Open(ReadOnlyMemory<byte> bytes, DicomReadOptions? options = null) =>
        Read(new MemoryByteSource(bytes, 0), options ?? DicomReadOptions.Default);

    /// <summary>
    /// Reads a file from a stream. A seekable stream is read whole into one buffer (values are slices of it) unless
    /// <see cref="DicomReadOptions.StopBeforePixelData"/> is set, in which case reading stops before Pixel Data.
    /// </summary>
    public static DicomFile Open(Stream stream, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReadOptions.Default;
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var segment))
        {
            return Open(segment.AsMemory((int)memory.Position), options);
        }

        if (stream.CanSeek && !options.StopBeforePixelData)
        {
            var length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
            {
                throw new DicomFormatException($"a {length}-byte file is larger than one buffer can hold", 0, "");
            }

            // Every byte is overwritten by the read below, so zeroing the buffer first would only cost time.
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            stream.ReadExactly(bytes);
            return Open(bytes, options);
        }

        long? known = stream.CanSeek ? stream.Length - stream.Position : null;
        return Read(new StreamByteSource(stream, 0, known), options);
    }

    /// <summary>Reads a whole stream asynchronously into memory, then parses it.</summary>
    public static async Task<DicomFile> OpenAsync(Stream stream, DicomReadOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
        return Open(memory.GetBuffer().AsMemory(0, (int)memory.Length), options);
    }

    /// <summary>
    /// Writes the file: preamble, "DICM", fresh file meta information with its group length, then the dataset. With
    /// <see cref="DicomWriteOptions.TransferSyntax"/> the dataset is transcoded between native syntaxes.
    /// </summary>
    public void Save(Stream stream, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomWriteOptions.Default;
        var syntax = options.TransferSyntax ?? TransferSyntax;
        CheckTranscoding(syntax);
        var meta = BuildFileMetaInformation(syntax, options);
        stream.Write(new byte[PreambleLength]);
        stream.Write(Prefix);
        // PS3.10 §7.1: group 0002 is always Explicit VR Little Endian.
        DicomDatasetWriter.Write(stream, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        DicomDatasetWriter.Write(stream, Dataset, syntax, options);
        FileMetaInformation = meta;
        TransferSyntax = syntax;
    }

    public async Task SaveAsync(Stream stream, DicomWriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        Save(memory, options);
        memory.Position = 0;
        await memory.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file encoded in memory.</summary>
    public byte[] ToArray(DicomWriteOptions? options = null)
    {
        using var memory = new MemoryStream();
        Save(memory, options);
        return memory.ToArray();
    }

    private void CheckTranscoding(DicomTransferSyntax target)
    {
        if (Dataset.TryGetItem(DicomTags.PixelData, out var pixels) && target.IsEncapsulated != (pixels is DicomFragmentSequence)
            && !target.Equals(TransferSyntax))
        {
            throw new UnsupportedTransferSyntaxException(target.IsEncapsulated ? target : TransferSyntax,
                $"transcoding {TransferSyntax.Name} to {target.Name} needs a pixel codec; only native syntaxes convert to each other");
        }
    }

    /// <summary>The file meta information for this file's dataset (SOP class and instance from the dataset, else the old meta).</summary>
    private DicomDataset BuildFileMetaInformation(DicomTransferSyntax syntax, DicomWriteOptions options) =>
        BuildFileMetaInformation(Uid(DicomTags.SOPClassUID, DicomTags.MediaStorageSOPClassUID),
            Uid(DicomTags.SOPInstanceUID, DicomTags.MediaStorageSOPInstanceUID), syntax, options, FileMetaInformation);

    private string Uid(DicomTag inDataset, DicomTag inMeta) =>
        Dataset.GetSingleStringOrDefault(inDataset) ?? FileMetaInformation.GetSingleStringOrDefault(inMeta)
        ?? throw new InvalidOperationException($"{DicomDataset.Describe(inDataset)} is required to write a Part 10 file (PS3.10 §7.1)");

    private static DicomFile Read(ByteSource source, DicomReadOptions options)
    {
        var warnings = new List<string>();
        var meta = new DicomDataset();
        var strict = options.Mode == DicomReadMode.Strict;
        var hasMeta = ReadPreamble(source, strict, warnings);
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        if (hasMeta)
        {
            // Group 0002 is Explicit VR Little Endian (PS3.10 §7.1); it ends at the first tag of another group.
            DicomDatasetReader.Parse(source, meta, DicomTransferSyntax.ExplicitVRLittleEndian, options, warnings, tag => tag.Group != 0x0002);
            if (meta.GetSingleStringOrDefault(DicomTags.TransferSyntaxUID) is { Length: > 0 } uid)
            {
                syntax = DicomTransferSyntax.Lookup(uid);
                if (!syntax.IsKnown)
                {
                    warnings.Add($"unknown transfer syntax {uid}: read as Explicit VR Little Endian with encapsulated Pixel Data (PS3.5 §A.4)");
                }
            }
            else if (strict)
            {
                throw new DicomFormatException("the file meta information has no Transfer Syntax UID (0002,0010)", source.Position, "(0002,0010)");
            }
            else
            {
                warnings.Add("no Transfer Syntax UID (0002,0010): guessed from the first element");
                syntax = GuessSyntax(source);
            }
        }
        else
        {
            syntax = GuessSyntax(source);
            warnings.Add($"no file meta information: read as {syntax.Name}");
        }

        var dataset = new DicomDataset();
        bool stopped;
        Func<DicomTag, bool>? stopBefore = options.StopBeforePixelData ? tag => tag == DicomTags.PixelData : null;
        if (syntax.IsDeflated && !source.AtEnd)
        {
            // Offsets inside the deflated part count inflated bytes from the start of the dataset.
            var start = source.Position;
            using var inflated = new DeflateStream(source.OpenRemainder(), CompressionMode.Decompress);
            stopped = DicomDatasetReader.Parse(new StreamByteSource(inflated, start, null), dataset, syntax, options, warnings, stopBefore);
        }
        else
        {
            stopped = DicomDatasetReader.Parse(source, dataset, syntax, options, warnings, stopBefore);
        }

        foreach (var term in dataset.CharacterSet.UnknownTerms)
        {
            warnings.Add($"Specific Character Set term '{term}' is not a defined term of PS3.3 C.12.1.1.2: text decoded as ASCII/UTF-8/Latin-1");
        }

        return new DicomFile(meta, dataset, syntax, warnings, stopped ? source.Position : null);
    }

    /// <summary>
    /// Looks for the preamble and "DICM". Lenient mode also accepts "DICM" at offset 0 and a bare dataset with no meta
    /// information (dicom-facts §1.8). Returns whether group 0002 follows.
    /// </summary>
    private static bool ReadPreamble(ByteSource source, bool strict, List<string> warnings)
    {
        Span<byte> head = stackalloc byte[PreambleLength + 4];
        var available = source.Peek(head);
        if (available == head.Length && head.Slice(PreambleLength, 4).SequenceEqual(Prefix))
        {
            source.TryRead(head);
            return true;
        }

        if (strict)
        {
            throw new DicomFormatException($"no \"DICM\" prefix at byte {PreambleLength}: not a DICOM Part 10 file (PS3.10 §7.1)", PreambleLength, "");
        }

        if (available >= 4 && head[..4].SequenceEqual(Prefix))
        {
            warnings.Add("no preamble: \"DICM\" at byte 0");
            source.TryRead(head[..4]);
            return true;
        }

        if (available >= 2 && head[0] == 0x02 && head[1] == 0x00)
        {
            warnings.Add("no preamble or \"DICM\" prefix: file meta information at byte 0");
            return true;
        }

        if (available < 8)
        {
            throw new DicomFormatException($"{available} bytes are too few for a DICOM file", 0, "");
        }

        return false;
    }

    /// <summary>A bare dataset: explicit VR if bytes 4-5 are a VR, big endian if the group reads sensibly only that way.</summary>
    private static DicomTransferSyntax GuessSyntax(ByteSource source)
    {
        Span<byte> head = stackalloc byte[8];
        if (source.Peek(head) < 8)
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var explicitVR = DicomVR.TryParse(head[4], head[5], out _);
        var bigEndian = head[0] == 0 && head[1] != 0;
        if (explicitVR)
        {
            return bigEndian ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian;
        }

        return DicomTransferSyntax.ImplicitVRLittleEndian;
    }
}
