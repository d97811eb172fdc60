namespace DiffuGts.Dicom.Network.Client;

/// <summary>The TCP or TLS connection could not be made or broke (refused, timed out, reset): transient for retry.</summary>
public sealed class DicomConnectionException : Exception
{
    public DicomConnectionException()
    {
    }

    public DicomConnectionException(string message)
        : base(message)
    {
    }

    public DicomConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
