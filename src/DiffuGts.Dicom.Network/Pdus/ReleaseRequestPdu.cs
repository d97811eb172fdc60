namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-RELEASE-RQ PDU (PS3.8 §9.3.6): a header and four reserved bytes.</summary>
public sealed class ReleaseRequestPdu : IPdu
{
    public static readonly ReleaseRequestPdu Instance = new();

    private ReleaseRequestPdu()
    {
    }

    public PduType Type => PduType.ReleaseRequest;

    public int BodyLength => 4;

    public void WriteBody(Span<byte> destination) => destination[..4].Clear();

    public static ReleaseRequestPdu Decode(ReadOnlySpan<byte> body)
    {
        PduFormat.RequireLength(body, 4, "A-RELEASE-RQ");
        return Instance;
    }
}
