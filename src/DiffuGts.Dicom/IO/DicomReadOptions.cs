namespace DiffuGts.Dicom.IO;

/// <summary>How a Part 10 file or a dataset is read.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Strict: the standard as written. Lenient (the default) accepts what real files get wrong and records a warning.</summary>
    public DicomReadMode Mode { get; init; } = DicomReadMode.Lenient;

    /// <summary>
    /// Largest value the reader accepts for one element, in bytes. A length past the end of the input is always an error;
    /// this bounds allocation when the input length is unknown (deflate, network streams).
    /// </summary>
    public long MaxElementLength { get; init; } = int.MaxValue;

    /// <summary>Deepest sequence nesting accepted (item within sequence within item ...).</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>Stop before (7FE0,0010) Pixel Data at the top level without reading it (header-only mode).</summary>
    public bool StopBeforePixelData { get; init; }

    public static DicomReadOptions Default { get; } = new();

    public static DicomReadOptions Strict { get; } = new() { Mode = DicomReadMode.Strict };
}
