using DiffuGts.Dicom.Codecs;
using DiffuGts.Testing;

namespace DiffuGts.Fuzz;

/// <summary>
/// The fuzz targets. Each returns normally for input it accepts or rejects with the documented typed exception
/// (<c>DicomFormatException</c> from the Part 10 reader, see <see cref="Part10Robustness"/>;
/// <see cref="InvalidDataException"/> from a codec; see <see cref="PduFuzzTarget"/> for the PDU reader); any other
/// exception escapes and is the crash the fuzzer looks for.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>Target names; nothing here touches instrumented code, which must first run inside the fuzzer loop.</summary>
    public static IReadOnlyList<string> Names { get; } = ["part10", "rle", "jpeg", "pdu"];

    public static Action<byte[]>? Find(string name) => name switch
    {
        "part10" => Part10Robustness.ReadAndDecode,
        "rle" => input => DecodeFrame(new RleLosslessCodec(), input),
        "jpeg" => input => DecodeFrame(new JpegLosslessCodec(JpegLosslessCodec.ProcessFourteenUid), input),
        "pdu" => PduFuzzTarget.ReadAll,
        _ => null,
    };

    private static void DecodeFrame(IPixelCodec codec, byte[] input)
    {
        if (!FuzzFrame.TryRead(input, out var info, out var frame))
        {
            return;
        }

        var destination = new byte[info.FrameLength];
        try
        {
            codec.DecodeFrame(frame, info, destination);
        }
        catch (InvalidDataException)
        {
            // The documented answer to corrupt input.
        }
    }
}
