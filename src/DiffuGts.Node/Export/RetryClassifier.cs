namespace DiffuGts.Node.Export;

/// <summary>
/// Transient failures are retried with backoff; permanent ones park the result as failed at once. A pure function with
/// a table test. Families per PS3.7 Annex C and PS3.4 Annex B.2.3: 0xA7xx out of resources (transient);
/// 0xA9xx data set does not match SOP class, 0xCxxx cannot understand, 0x0122 SOP class not supported (permanent);
/// A-ASSOCIATE-RJ by its result field (PS3.8 §9.3.4: 1 permanent, 2 transient).
/// </summary>
public static class RetryClassifier
{
    public static bool IsTransient(DeliveryFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind switch
        {
            DeliveryFailureKind.ConnectionFailed => true,
            DeliveryFailureKind.Timeout => true,
            DeliveryFailureKind.AssociationRejectedTransient => true,
            // An abort is usually a peer restarting or a network hiccup; retrying is the safe side (bounded by MaxAge).
            DeliveryFailureKind.Aborted => true,
            DeliveryFailureKind.AssociationRejectedPermanent => false,
            DeliveryFailureKind.NoAcceptedContext => false,
            // Certificate problems need an operator; retrying only fills the log.
            DeliveryFailureKind.TlsFailed => false,
            DeliveryFailureKind.DimseStatus => failure.Status is { } s && IsTransientStatus(s),
            _ => false,
        };
    }

    /// <summary>Failure statuses worth retrying: out of resources (0xA7xx) and the general "processing failure" 0x0110.</summary>
    public static bool IsTransientStatus(ushort status) =>
        (status & 0xFF00) == 0xA700 || status == 0x0110;
}
