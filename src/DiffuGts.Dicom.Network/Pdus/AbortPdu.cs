namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-ABORT PDU (PS3.8 §9.3.8): <c>07 00 00000004 00 00 source reason</c>.</summary>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : IPdu
{
    public PduType Type => PduType.Abort;

    public int BodyLength => 4;

    public void WriteBody(Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = (byte)Source;
        destination[3] = (byte)Reason;
    }

    /// <summary>Reserved bytes are not tested on receipt (PS3.8 §9.3.1).</summary>
    public static AbortPdu Decode(ReadOnlySpan<byte> body)
    {
        PduFormat.RequireLength(body, 4, "A-ABORT");
        return new AbortPdu((AbortSource)body[2], (AbortReason)body[3]);
    }
}
