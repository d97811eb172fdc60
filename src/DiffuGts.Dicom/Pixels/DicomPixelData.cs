using System.Buffers.Binary;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Dicom.Pixels;

/// <summary>
/// Frame access to Pixel Data (PS3.3 C.7.6.3 Image Pixel module; PS3.5 §8). Native data gives frames as slices of the
/// element (no copy); encapsulated data is split into frames (PS3.5 §A.4) and decoded by the codec that
/// <see cref="PixelCodecRegistry"/> has for the transfer syntax. Modality values apply the rescale of PS3.3 C.11.1 (or
/// the Pixel Value Transformation functional group of an enhanced multi-frame image, PS3.3 C.7.6.16.2.9).
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomDataset dataset;
    private readonly DicomItem pixelData;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomItem pixelData)
    {
        if (pixelData is not (DicomElement or DicomFragmentSequence))
        {
            // PS3.5 §8.2: Pixel Data is a native value (OB/OW) or an encapsulated fragment sequence, never a sequence of
            // items (a malformed file can parse it as one: found by the Part 10 fuzz target).
            throw new DicomFormatException("Pixel Data is a sequence of items, neither native nor encapsulated", 0, pixelData.Tag.ToString());
        }

        this.dataset = dataset;
        this.pixelData = pixelData;
        TransferSyntax = transferSyntax;
        Rows = dataset.GetValue<int>(DicomTags.Rows);
        Columns = dataset.GetValue<int>(DicomTags.Columns);
        SamplesPerPixel = dataset.GetValueOrDefault(DicomTags.SamplesPerPixel, 1);
        BitsAllocated = dataset.GetValue<int>(DicomTags.BitsAllocated);
        BitsStored = dataset.GetValueOrDefault(DicomTags.BitsStored, BitsAllocated);
        HighBit = dataset.GetValueOrDefault(DicomTags.HighBit, BitsStored - 1);
        PixelRepresentation = dataset.GetValueOrDefault(DicomTags.PixelRepresentation, 0);
        PlanarConfiguration = dataset.GetValueOrDefault(DicomTags.PlanarConfiguration, 0);
        NumberOfFrames = dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1);
        PhotometricInterpretation = dataset.GetSingleStringOrDefault(DicomTags.PhotometricInterpretation) ?? "MONOCHROME2";
        if (Rows <= 0 || Columns <= 0 || NumberOfFrames <= 0 || SamplesPerPixel <= 0 || BitsAllocated is not (1 or 8 or 16 or 32 or 64)
            || BitsStored <= 0 || BitsStored > BitsAllocated)
        {
            throw new DicomFormatException(
                $"the Image Pixel module is inconsistent: {Rows}×{Columns}×{SamplesPerPixel}, {NumberOfFrames} frames, bits {BitsAllocated}/{BitsStored}",
                0, pixelData.Tag.ToString());
        }
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int SamplesPerPixel { get; }

    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public int HighBit { get; }

    /// <summary>0 unsigned, 1 two's complement (PS3.3 C.7.6.3.1).</summary>
    public int PixelRepresentation { get; }

    public bool IsSigned => PixelRepresentation == 1;

    public int PlanarConfiguration { get; }

    public int NumberOfFrames { get; }

    public string PhotometricInterpretation { get; }

    public bool IsEncapsulated => pixelData is DicomFragmentSequence;

    /// <summary>Pixels in one frame (all samples counted once per pixel).</summary>
    public int PixelsPerFrame => checked(Rows * Columns);

    /// <summary>Bytes of one native frame; for 1-bit data, one byte per sample (frames are unpacked by <see cref="GetFrame"/>).</summary>
    public int FrameLength => checked(PixelsPerFrame * SamplesPerPixel * Math.Max(1, BitsAllocated / 8));

    public PixelFrameInfo FrameInfo =>
        new(Rows, Columns, SamplesPerPixel, BitsAllocated, BitsStored, PixelRepresentation, PlanarConfiguration);

    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (!dataset.TryGetItem(DicomTags.PixelData, out var pixels))
        {
            throw new InvalidOperationException("the dataset has no Pixel Data (7FE0,0010)");
        }

        return new DicomPixelData(dataset, transferSyntax, pixels);
    }

    public static DicomPixelData Create(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(file.Dataset, file.TransferSyntax);
    }

    /// <summary>
    /// Frame <paramref name="index"/> as native little-endian samples: a slice of Pixel Data when native (1-bit frames are
    /// unpacked to one byte per pixel, PS3.5 §8.1.1), decoded by the transfer syntax's codec when encapsulated.
    /// </summary>
    public ReadOnlyMemory<byte> GetFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        return pixelData switch
        {
            DicomFragmentSequence fragments => DecodeFrame(fragments, index),
            DicomElement element when BitsAllocated == 1 => UnpackBits(element.Buffer.Span, index),
            DicomElement element => NativeFrame(element, index),
            _ => throw new InvalidOperationException("Pixel Data is neither native nor encapsulated"),
        };
    }

    /// <summary>Rescale slope and intercept for a frame (PS3.3 C.11.1.1.2; per-frame, then shared functional groups, then top level).</summary>
    public (double Slope, double Intercept) GetRescale(int frame)
    {
        foreach (var group in FunctionalGroups(frame))
        {
            if (group.TryGetSequence(DicomTags.PixelValueTransformationSequence, out var transform) && transform.Items.Count > 0)
            {
                var item = transform.Items[0];
                return (item.GetValueOrDefault(DicomTags.RescaleSlope, 1.0), item.GetValueOrDefault(DicomTags.RescaleIntercept, 0.0));
            }
        }

        return (dataset.GetValueOrDefault(DicomTags.RescaleSlope, 1.0), dataset.GetValueOrDefault(DicomTags.RescaleIntercept, 0.0));
    }

    /// <summary>
    /// Modality values of a frame (stored value masked to Bits Stored, sign-extended when signed, then slope·v + intercept):
    /// Hounsfield units for CT. One value per sample.
    /// </summary>
    public void GetModalityValues(int frame, Span<float> destination)
    {
        var samples = PixelsPerFrame * SamplesPerPixel;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, samples, nameof(destination));
        var (slope, intercept) = GetRescale(frame);
        var bytes = GetFrame(frame).Span;
        for (var i = 0; i < samples; i++)
        {
            destination[i] = (float)((slope * StoredValue(bytes, i)) + intercept);
        }
    }

    public float[] GetModalityValues(int frame)
    {
        var values = new float[PixelsPerFrame * SamplesPerPixel];
        GetModalityValues(frame, values);
        return values;
    }

    /// <summary>The stored value of sample <paramref name="index"/>: masked to Bits Stored and sign-extended (PS3.5 §8.1.1).</summary>
    private long StoredValue(ReadOnlySpan<byte> frame, int index)
    {
        ulong raw = BitsAllocated switch
        {
            1 or 8 => frame[index],
            16 => BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * index)..]),
            32 => BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 * index)..]),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(frame[(8 * index)..]),
        };
        var shift = HighBit + 1 - BitsStored;
        raw >>= Math.Max(0, shift);
        if (BitsStored >= 64)
        {
            return (long)raw;
        }

        raw &= (1UL << BitsStored) - 1;
        if (IsSigned && (raw & (1UL << (BitsStored - 1))) != 0)
        {
            return (long)raw - (1L << BitsStored);
        }

        return (long)raw;
    }

    private IEnumerable<DicomDataset> FunctionalGroups(int frame)
    {
        if (dataset.TryGetSequence(DicomTags.PerFrameFunctionalGroupsSequence, out var perFrame) && frame < perFrame.Items.Count)
        {
            yield return perFrame.Items[frame];
        }

        if (dataset.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var shared) && shared.Items.Count > 0)
        {
            yield return shared.Items[0];
        }
    }

    private ReadOnlyMemory<byte> NativeFrame(DicomElement element, int index)
    {
        var start = (long)index * FrameLength;
        if (start + FrameLength > element.Length)
        {
            throw new DicomFormatException(
                $"Pixel Data holds {element.Length} bytes; frame {index} needs bytes {start} to {start + FrameLength}", 0, element.Tag.ToString());
        }

        return element.Buffer.Slice((int)start, FrameLength);
    }

    /// <summary>PS3.5 §8.1.1: 1-bit pixels are packed LSB first and frames are not byte aligned.</summary>
    private byte[] UnpackBits(ReadOnlySpan<byte> packed, int index)
    {
        var count = PixelsPerFrame * SamplesPerPixel;
        var firstBit = (long)index * count;
        if ((firstBit + count + 7) / 8 > packed.Length)
        {
            throw new DicomFormatException($"Pixel Data holds {packed.Length} bytes, too few for 1-bit frame {index}", 0, DicomTags.PixelData.ToString());
        }

        var pixels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var bit = firstBit + i;
            pixels[i] = (byte)((packed[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
        }

        return pixels;
    }

    private byte[] DecodeFrame(DicomFragmentSequence fragments, int index)
    {
        if (!PixelCodecRegistry.TryGet(TransferSyntax.Uid, out var codec))
        {
            throw new UnsupportedTransferSyntaxException(TransferSyntax,
                $"no pixel codec for {TransferSyntax.Name} ({TransferSyntax.Uid}); supported: {string.Join(", ", PixelCodecRegistry.SupportedTransferSyntaxes)}");
        }

        var compressed = EncapsulatedFrames.GetFrame(dataset, fragments, NumberOfFrames, index);
        var frame = new byte[FrameInfo.FrameLength];
        try
        {
            codec.DecodeFrame(compressed.Span, FrameInfo, frame);
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException($"frame {index} cannot be decoded as {TransferSyntax.Name}: {ex.Message}", 0, DicomTags.PixelData.ToString(), ex);
        }

        return frame;
    }
}
