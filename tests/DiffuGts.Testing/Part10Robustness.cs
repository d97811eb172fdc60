using DiffuGts.Dicom;
using DiffuGts.Dicom.IO;
using DiffuGts.Dicom.Pixels;

namespace DiffuGts.Testing;

/// <summary>
/// What the Part 10 fuzz target (tests/DiffuGts.Fuzz) and its deterministic xunit counterpart do with one input: read it
/// leniently and strictly from memory and header-only from a non-seekable stream, then decode every frame. Each stage may
/// reject the input only with its documented exception; anything else escapes as the finding.
/// </summary>
public static class Part10Robustness
{
    /// <summary>Images larger than this are not decoded: they only slow a fuzzer down.</summary>
    private const long MaxDecodedBytes = 16 << 20;

    public static void ReadAndDecode(byte[] input)
    {
        Open(() => DicomFile.Open(new NonSeekableStream(input), new DicomReadOptions { StopBeforePixelData = true }));
        Open(() => DicomFile.Open(input, DicomReadOptions.Strict));
        if (Open(() => DicomFile.Open(input)) is { } file)
        {
            DecodeFrames(file);
        }
    }

    private static DicomFile? Open(Func<DicomFile> open)
    {
        try
        {
            return open();
        }
        catch (DicomFormatException)
        {
            // The reader's documented answer to a malformed file.
            return null;
        }
    }

    private static void DecodeFrames(DicomFile file)
    {
        if (!file.Dataset.Contains(Dicom.Dictionary.DicomTags.PixelData))
        {
            return;
        }

        DicomPixelData pixels;
        try
        {
            pixels = DicomPixelData.Create(file);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException or InvalidOperationException)
        {
            // The typed-read answers (DicomDataset.Get) for missing or malformed Image Pixel attributes.
            return;
        }

        if ((long)pixels.Rows * pixels.Columns * pixels.SamplesPerPixel * Math.Max(1, pixels.BitsAllocated / 8) * pixels.NumberOfFrames
            > MaxDecodedBytes)
        {
            return;
        }

        for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
        {
            try
            {
                pixels.GetFrame(frame);
            }
            catch (DicomFormatException)
            {
                // A frame table or codec that rejects the data (codecs' InvalidDataException arrives wrapped).
            }
            catch (UnsupportedTransferSyntaxException)
            {
                return;
            }
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
