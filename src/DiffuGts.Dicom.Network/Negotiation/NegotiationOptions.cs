namespace DiffuGts.Dicom.Network.Negotiation;

/// <summary>What an acceptor offers: abstract syntaxes (Verification is always offered) and transfer syntaxes in preference order.</summary>
public sealed record NegotiationOptions
{
    public IReadOnlyList<string> StorageSopClasses { get; init; } = SopClassUids.DefaultStorage;

    public IReadOnlyList<string> TransferSyntaxes { get; init; } = TransferSyntaxUids.AcceptorPreference;
}
