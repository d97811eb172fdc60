namespace DiffuGts.Node.Health;

/// <summary>What the running node has done since <see cref="Since"/> (its start); kept in memory, not durable.</summary>
public sealed record NodeCounters
{
    public DateTimeOffset Since { get; init; }

    /// <summary>C-STORE data sets handed to the node's store handler.</summary>
    public long InstancesReceived { get; init; }

    /// <summary>Instances written durably and answered Success.</summary>
    public long InstancesStored { get; init; }

    /// <summary>Instances answered with a failure status (disk, unreadable, mismatched UIDs).</summary>
    public long InstancesRefused { get; init; }

    public long SeriesReleased { get; init; }

    /// <summary>Released series that matched at least one routing rule.</summary>
    public long SeriesRouted { get; init; }

    /// <summary>Released series that matched no rule (Routing:Default is Ignore).</summary>
    public long SeriesUnrouted { get; init; }

    /// <summary>Outbox items delivered to their destination.</summary>
    public long DeliveriesOk { get; init; }

    /// <summary>Delivery attempts that failed transiently and will be retried.</summary>
    public long DeliveriesFailed { get; init; }

    /// <summary>Outbox items parked as failed (permanent failure, or out of attempts or age).</summary>
    public long DeliveriesParked { get; init; }
}
