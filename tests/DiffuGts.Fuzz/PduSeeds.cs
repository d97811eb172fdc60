using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using DiffuGts.Testing;

namespace DiffuGts.Fuzz;

/// <summary>
/// Seeds of the "pdu" target, written with our own PDU encoder: whole conversations as a storage SCU sends them
/// (A-ASSOCIATE-RQ, P-DATA-TF with C-ECHO-RQ or a fragmented C-STORE-RQ, A-RELEASE-RQ) and every other PDU type alone
/// (A-ASSOCIATE-AC/RJ, A-RELEASE-RP, A-ABORT, P-DATA-TF before association).
/// </summary>
internal static class PduSeeds
{
    public static IEnumerable<(string Name, byte[] Bytes)> Generate()
    {
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "DIFFUGTS",
            CallingAeTitle = "FUZZSCU",
            PresentationContexts =
            [
                new PresentationContextRequest(1, SopClassUids.Verification, [TransferSyntaxUids.ImplicitVrLittleEndian]),
                new PresentationContextRequest(3, SopClassUids.CtImageStorage,
                    [TransferSyntaxUids.ExplicitVrLittleEndian, TransferSyntaxUids.ImplicitVrLittleEndian]),
            ],
            UserInformation = new UserInformation
            {
                MaxPduLength = 16384,
                ImplementationClassUid = "1.2.3.4",
                ImplementationVersionName = "FUZZ_1",
                RoleSelections = [new RoleSelection(SopClassUids.CtImageStorage, ScuRole: true, ScpRole: false)],
            },
        };
        var echo = Command(1, DimseCommand.EchoRequest(1));
        var store = DimseCommand.StoreRequest(2, SopClassUids.CtImageStorage, "2.25.42").Encode();
        var dataSet = new Dicom.DicomFile(SyntheticCtSlice.Dataset(0, 4, 4, SyntheticCtSlice.Pixels(4, 4, seed: 1))).ToArray();
        var half = dataSet.Length / 2;

        yield return ("rq-echo-release", Concat(request, echo, ReleaseRequestPdu.Instance));
        yield return ("rq-store-release", Concat(request,
            new PDataTfPdu([new PresentationDataValue(3, true, false, store.AsMemory(0, 10)), new PresentationDataValue(3, true, true, store.AsMemory(10))]),
            new PDataTfPdu([new PresentationDataValue(3, false, false, dataSet.AsMemory(0, half))]),
            new PDataTfPdu([new PresentationDataValue(3, false, true, dataSet.AsMemory(half))]),
            ReleaseRequestPdu.Instance));
        yield return ("rq-abort", Concat(request, new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
        yield return ("ac", Concat(new AssociateAcceptPdu
        {
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            PresentationContexts =
            [
                new PresentationContextResult(1, PresentationContextResultReason.Acceptance, TransferSyntaxUids.ImplicitVrLittleEndian),
                new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, TransferSyntaxUids.ExplicitVrLittleEndian),
            ],
            UserInformation = request.UserInformation,
        }));
        yield return ("rj", Concat(new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser,
            AssociationRejectReasons.CalledAeTitleNotRecognized)));
        yield return ("rp", Concat(ReleaseResponsePdu.Instance));
        yield return ("pdata-before-rq", Concat(echo));
    }

    private static PDataTfPdu Command(byte contextId, DimseCommand command) =>
        new([new PresentationDataValue(contextId, true, true, command.Encode())]);

    private static byte[] Concat(params IPdu[] pdus) => [.. pdus.SelectMany(PduEncoder.ToArray)];
}
