using DiffuGts.Dicom;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;

namespace DiffuGts.Fuzz;

/// <summary>
/// The Part 10 target: the reader in lenient and strict mode from memory, header-only from a non-seekable stream, and,
/// where the file is encapsulated in a syntax we have a codec for, every frame decoded.
/// </summary>
internal static class Part10
{
    /// <summary>Frames larger than this are not decoded: they only slow the fuzzer.</summary>
    private const long MaxDecodedBytes = 16 << 20;

    public static void Read(byte[] input)
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
        if (!PixelCodecRegistry.TryGet(file.TransferSyntax.Uid, out var codec))
        {
            return;
        }

        try
        {
            if (EncapsulatedImage.From(file.Dataset) is { } image
                && (long)image.Info.Rows * image.Info.Columns * image.Info.SamplesPerPixel * Math.Max(8, image.Info.BitsAllocated) / 8 * image.Frames.Count
                    <= MaxDecodedBytes)
            {
                image.Decode(codec);
            }
        }
        catch (InvalidDataException)
        {
            // Inconsistent frame table or attributes, or a corrupt frame: the codecs' documented answer.
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
