using System.Net;

namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>Access control for incoming associations. Empty allow-lists allow everyone.</summary>
public sealed record AssociationPolicyOptions
{
    /// <summary>Our AE title(s). Empty: any called AE title is answered (like Orthanc's default).</summary>
    public IReadOnlyList<string> CalledAeTitles { get; init; } = [];

    public IReadOnlyList<string> AcceptedCallingAeTitles { get; init; } = [];

    public IReadOnlyList<IPAddress> AcceptedSourceAddresses { get; init; } = [];

    public int MaxAssociations { get; init; } = 32;
}
