namespace DiffuGts.Dicom;

/// <summary>The operation needs a pixel codec for a transfer syntax that has none (PS3.5 §8.2, Annex A.4).</summary>
public sealed class UnsupportedTransferSyntaxException : NotSupportedException
{
    public UnsupportedTransferSyntaxException()
        : this("unsupported transfer syntax")
    {
    }

    public UnsupportedTransferSyntaxException(string message)
        : base(message)
    {
        TransferSyntaxUid = "";
    }

    public UnsupportedTransferSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        TransferSyntaxUid = "";
    }

    public UnsupportedTransferSyntaxException(DicomTransferSyntax transferSyntax, string message)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        TransferSyntaxUid = transferSyntax.Uid;
    }

    public string TransferSyntaxUid { get; }
}
