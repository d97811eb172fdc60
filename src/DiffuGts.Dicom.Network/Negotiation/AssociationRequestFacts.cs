using System.Net;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>Everything the acceptance decision looks at, gathered from the RQ, the socket and the node.</summary>
public sealed record AssociationRequestFacts
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public required IPAddress RemoteAddress { get; init; }

    public required ushort ProtocolVersion { get; init; }

    public required string ApplicationContextName { get; init; }

    /// <summary>Associations already open, this one not counted.</summary>
    public required int ActiveAssociations { get; init; }

    /// <summary>Presentation contexts that negotiation accepted.</summary>
    public required int AcceptedContexts { get; init; }

    /// <summary>The node's disk-pressure signal (watermark plus reserved bytes); the library only consults it.</summary>
    public bool DiskPressure { get; init; }
}
