namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4): <c>03 00 00000004 00 result source reason</c>.</summary>
public sealed record AssociateRejectPdu(AssociationRejectResult Result, AssociationRejectSource Source, byte Reason) : IPdu
{
    public PduType Type => PduType.AssociateReject;

    public int BodyLength => 4;

    public void WriteBody(Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = (byte)Result;
        destination[2] = (byte)Source;
        destination[3] = Reason;
    }

    public static AssociateRejectPdu Decode(ReadOnlySpan<byte> body)
    {
        PduFormat.RequireLength(body, 4, "A-ASSOCIATE-RJ");
        return new AssociateRejectPdu((AssociationRejectResult)body[1], (AssociationRejectSource)body[2], body[3]);
    }

    public override string ToString() =>
        $"A-ASSOCIATE-RJ ({Result}, {Source}: {AssociationRejectReasons.Describe(Source, Reason)})";
}
