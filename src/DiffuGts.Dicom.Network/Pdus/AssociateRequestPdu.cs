namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2): fixed part, then one Application Context item (0x10), one or more Presentation
/// Context items (0x20) and one User Information item (0x50).
/// </summary>
public sealed record AssociateRequestPdu : IPdu
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public string ApplicationContextName { get; init; } = AssociatePduLayout.DicomApplicationContext;

    public required IReadOnlyList<PresentationContextRequest> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }

    /// <summary>Bit 0 set means version 1 is supported (PS3.8 Table 9-11); kept so the acceptor can check it.</summary>
    public ushort ProtocolVersion { get; init; } = AssociatePduLayout.ProtocolVersion;

    public PduType Type => PduType.AssociateRequest;

    public int BodyLength => AssociatePduLayout.BodyLength(ApplicationContextName, PresentationContexts, UserInformation);

    public void WriteBody(Span<byte> destination) => AssociatePduLayout.WriteBody(destination, CalledAeTitle, CallingAeTitle,
        ApplicationContextName, PresentationContexts, UserInformation);

    public static AssociateRequestPdu Decode(ReadOnlySpan<byte> body)
    {
        var (version, called, calling, applicationContext, contexts, userInformation) =
            AssociatePduLayout.ReadItems(body, "A-ASSOCIATE-RQ", ItemType.PresentationContextRequest, item => PresentationContextRequest.Read(item));
        if (applicationContext is null || contexts.Count == 0 || userInformation is null)
        {
            throw new DicomProtocolException(
                "A-ASSOCIATE-RQ lacks an application context, a presentation context or the user information item");
        }

        return new AssociateRequestPdu
        {
            CalledAeTitle = called,
            CallingAeTitle = calling,
            ApplicationContextName = applicationContext,
            PresentationContexts = contexts,
            UserInformation = userInformation,
            ProtocolVersion = version,
        };
    }
}
