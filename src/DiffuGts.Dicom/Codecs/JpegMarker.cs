namespace DiffuGts.Dicom.Codecs;

/// <summary>JPEG marker codes, the byte after 0xFF (ITU T.81 Table B.1).</summary>
internal static class JpegMarker
{
    /// <summary>SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) start a frame; SOF3 is lossless Huffman (process 14).</summary>
    public const byte Sof0 = 0xC0;
    public const byte Sof3 = 0xC3;
    public const byte Sof15 = 0xCF;
    public const byte Dht = 0xC4;
    public const byte Jpg = 0xC8;
    public const byte Dac = 0xCC;
    public const byte Rst0 = 0xD0;
    public const byte Rst7 = 0xD7;
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte Dnl = 0xDC;
    public const byte Dri = 0xDD;

    /// <summary>TEM (B.1.1.3): a marker with no length field.</summary>
    public const byte Tem = 0x01;

    public static bool IsStartOfFrame(byte marker) => marker is >= Sof0 and <= Sof15 and not Dht and not Jpg and not Dac;

    public static bool IsRestart(byte marker) => marker is >= Rst0 and <= Rst7;
}
