namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-AC PDU (PS3.8 §9.3.3): same fixed part as the RQ (the AE fields echo the RQ and are not tested on
/// receipt), an Application Context item, one 0x21 item per proposed context, and a User Information item.
/// </summary>
public sealed record AssociateAcceptPdu : IPdu
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public string ApplicationContextName { get; init; } = AssociatePduLayout.DicomApplicationContext;

    public required IReadOnlyList<PresentationContextResult> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }

    public PduType Type => PduType.AssociateAccept;

    public int BodyLength => AssociatePduLayout.BodyLength(ApplicationContextName, PresentationContexts, UserInformation);

    public void WriteBody(Span<byte> destination) => AssociatePduLayout.WriteBody(destination, CalledAeTitle, CallingAeTitle,
        ApplicationContextName, PresentationContexts, UserInformation);

    public static AssociateAcceptPdu Decode(ReadOnlySpan<byte> body)
    {
        var (_, called, calling, applicationContext, contexts, userInformation) =
            AssociatePduLayout.ReadItems(body, "A-ASSOCIATE-AC", ItemType.PresentationContextAccept, item => PresentationContextResult.Read(item));
        if (applicationContext is null || userInformation is null)
        {
            throw new DicomProtocolException("A-ASSOCIATE-AC lacks the application context or the user information item");
        }

        return new AssociateAcceptPdu
        {
            CalledAeTitle = called,
            CallingAeTitle = calling,
            ApplicationContextName = applicationContext,
            PresentationContexts = contexts,
            UserInformation = userInformation,
        };
    }
}
