namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A-RELEASE-RP PDU (PS3.8 §9.3.7): a header and four reserved bytes.</summary>
public sealed class ReleaseResponsePdu : IPdu
{
    public static readonly ReleaseResponsePdu Instance = new();

    private ReleaseResponsePdu()
    {
    }

    public PduType Type => PduType.ReleaseResponse;

    public int BodyLength => 4;

    public void WriteBody(Span<byte> destination) => destination[..4].Clear();

    public static ReleaseResponsePdu Decode(ReadOnlySpan<byte> body)
    {
        PduFormat.RequireLength(body, 4, "A-RELEASE-RP");
        return Instance;
    }
}
