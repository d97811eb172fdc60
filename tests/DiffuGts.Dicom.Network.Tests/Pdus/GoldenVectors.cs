namespace DiffuGts.Dicom.Network.Tests.Pdus;

/// <summary>The worked byte vectors of research/dicom-facts.md §2.9 and §3.4, as hex text.</summary>
internal static class GoldenVectors
{
    public const string AssociateRequest =
        "01 00 00 00 00 b2 00 01 00 00 53 54 4f 52 45 53 " +
        "43 50 20 20 20 20 20 20 20 20 41 49 4e 4f 44 45 " +
        "20 20 20 20 20 20 20 20 20 20 00 00 00 00 00 00 " +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " +
        "00 00 00 00 00 00 00 00 00 00 10 00 00 15 31 2e " +
        "32 2e 38 34 30 2e 31 30 30 30 38 2e 33 2e 31 2e " +
        "31 2e 31 20 00 00 2e 01 00 00 00 30 00 00 11 31 " +
        "2e 32 2e 38 34 30 2e 31 30 30 30 38 2e 31 2e 31 " +
        "40 00 00 11 31 2e 32 2e 38 34 30 2e 31 30 30 30 " +
        "38 2e 31 2e 32 50 00 00 1f 51 00 00 04 00 00 40 " +
        "00 52 00 00 07 31 2e 32 2e 33 2e 34 55 00 00 08 " +
        "41 49 4e 4f 44 45 5f 31";

    public const string AcceptContextItem =
        "21 00 00 19 01 00 00 00 40 00 00 11 31 2e 32 2e 38 34 30 2e 31 30 30 30 38 2e 31 2e 32";

    public const string ReleaseRequest = "05 00 00 00 00 04 00 00 00 00";

    public const string AbortInvalidParameter = "07 00 00 00 00 04 00 00 02 06";

    public const string RejectCalledAe = "03 00 00 00 00 04 00 01 01 07";

    public const string EchoRequestCommand =
        "00 00 00 00 04 00 00 00 38 00 00 00 " +
        "00 00 02 00 12 00 00 00 31 2e 32 2e 38 34 30 2e 31 30 30 30 38 2e 31 2e 31 00 " +
        "00 00 00 01 02 00 00 00 30 00 " +
        "00 00 10 01 02 00 00 00 01 00 " +
        "00 00 00 08 02 00 00 00 01 01";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>The AC of §2.9: the RQ with type 02, PDU length 0x9d and the 0x20 item replaced by the 0x21 item.</summary>
    public static byte[] AssociateAccept()
    {
        var rq = Bytes(AssociateRequest);
        var pcStart = 74 + 4 + 21;
        var pcLength = 4 + ((rq[pcStart + 2] << 8) | rq[pcStart + 3]);
        var ac = rq[..pcStart].Concat(Bytes(AcceptContextItem)).Concat(rq[(pcStart + pcLength)..]).ToArray();
        ac[0] = 0x02;
        ac[5] = (byte)(ac.Length - 6);
        return ac;
    }
}
