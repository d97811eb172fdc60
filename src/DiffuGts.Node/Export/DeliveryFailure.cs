namespace DiffuGts.Node.Export;

/// <summary>How one attempt to deliver a result to a peer failed.</summary>
public enum DeliveryFailureKind
{
    /// <summary>TCP connect refused, reset or unreachable.</summary>
    ConnectionFailed,

    /// <summary>TCP connect or a read timed out.</summary>
    Timeout,

    /// <summary>A-ASSOCIATE-RJ with result 2, rejected-transient (PS3.8 §9.3.4).</summary>
    AssociationRejectedTransient,

    /// <summary>A-ASSOCIATE-RJ with result 1, rejected-permanent.</summary>
    AssociationRejectedPermanent,

    /// <summary>The peer or the network aborted the association (A-ABORT, or the connection closed mid-association).</summary>
    Aborted,

    /// <summary>No presentation context for the result's SOP class was accepted.</summary>
    NoAcceptedContext,

    /// <summary>The C-STORE response carried a failure status (see <see cref="DeliveryFailure.Status"/>).</summary>
    DimseStatus,

    /// <summary>TLS handshake or certificate validation failed.</summary>
    TlsFailed,
}

/// <summary>One failed delivery attempt: the kind, the DIMSE status where there was one, and a human-readable reason.</summary>
public sealed record DeliveryFailure(DeliveryFailureKind Kind, string Reason, ushort? Status = null);
