using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>The association ended by A-ABORT (from the peer, or sent by us after a protocol error or a timeout).</summary>
public sealed class AssociationAbortedException : Exception
{
    public AssociationAbortedException()
    {
    }

    public AssociationAbortedException(string message)
        : base(message)
    {
    }

    public AssociationAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AssociationAbortedException(AbortPdu abort, string message)
        : base(message)
    {
        Abort = abort;
    }

    public AbortPdu? Abort { get; }
}
