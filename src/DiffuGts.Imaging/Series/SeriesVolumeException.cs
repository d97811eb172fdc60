namespace DiffuGts.Imaging.Series;

/// <summary>A series that cannot become one regular volume; <see cref="Error"/> says which rule it broke.</summary>
public sealed class SeriesVolumeException : Exception
{
    public SeriesVolumeException(SeriesVolumeError error, string message, Exception? innerException = null)
        : base($"{error}: {message}", innerException)
    {
        Error = error;
    }

    public SeriesVolumeException()
        : this(SeriesVolumeError.NoImages, "no images")
    {
    }

    public SeriesVolumeException(string message)
        : this(SeriesVolumeError.NoImages, message)
    {
    }

    public SeriesVolumeException(string message, Exception innerException)
        : this(SeriesVolumeError.NoImages, message, innerException)
    {
    }

    public SeriesVolumeError Error { get; }
}
