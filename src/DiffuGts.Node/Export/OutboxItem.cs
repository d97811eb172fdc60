namespace DiffuGts.Node.Export;

public enum OutboxState
{
    Pending,
    Delivered,

    /// <summary>Parked: a permanent failure, or retried until Export:MaxAttempts / Export:MaxAge. Reason says which.</summary>
    Failed,
}

/// <summary>One delivery attempt as recorded in the outbox item's history.</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, bool Succeeded, string Outcome);

/// <summary>The results of one job for one destination (outbox/&lt;Peer&gt;/&lt;JobId&gt;.json).</summary>
public sealed record OutboxItem
{
    public required string JobId { get; init; }

    public required string Peer { get; init; }

    /// <summary>The SEG and SC files to send, all in one association.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public OutboxState State { get; init; } = OutboxState.Pending;

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset NextAttempt { get; init; }

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    public IReadOnlyList<DeliveryAttempt> History { get; init; } = [];
}
