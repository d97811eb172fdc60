namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// Checks a <see cref="PixelFrameInfo"/> and a destination before a codec writes into it, so a bad caller or an
/// attribute combination a codec cannot honour fails with a message instead of an index error.
/// </summary>
internal static class PixelFrameLayout
{
    public static int Validate(in PixelFrameInfo info, int destinationLength, string codecName)
    {
        if (info.Rows <= 0 || info.Columns <= 0)
        {
            throw new InvalidDataException($"{codecName}: Rows {info.Rows} × Columns {info.Columns} is not a valid frame size");
        }

        if (info.SamplesPerPixel is not (1 or 3))
        {
            throw new InvalidDataException($"{codecName}: Samples per Pixel {info.SamplesPerPixel} is not supported (1 or 3)");
        }

        if (info.BitsAllocated is not (8 or 16 or 32))
        {
            throw new InvalidDataException($"{codecName}: Bits Allocated {info.BitsAllocated} is not supported (8, 16 or 32)");
        }

        if (info.BitsStored < 1 || info.BitsStored > info.BitsAllocated)
        {
            throw new InvalidDataException($"{codecName}: Bits Stored {info.BitsStored} is outside 1..{info.BitsAllocated}");
        }

        if (info.PlanarConfiguration is not (0 or 1))
        {
            throw new InvalidDataException($"{codecName}: Planar Configuration {info.PlanarConfiguration} is not 0 or 1");
        }

        int length;
        try
        {
            length = info.FrameLength;
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{codecName}: a frame of {info.Rows} × {info.Columns} × {info.SamplesPerPixel} is too large");
        }

        if (destinationLength < length)
        {
            throw new ArgumentException($"{codecName}: destination holds {destinationLength} bytes, the frame needs {length}");
        }

        return length;
    }
}
