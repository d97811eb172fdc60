using DiffuGts.Dicom.Codecs;

namespace DiffuGts.Fuzz;

/// <summary>
/// The fuzz targets. Each returns normally for input it accepts or rejects with the documented typed exception; any
/// other exception escapes and is the crash the fuzzer looks for.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>Target names; nothing here touches instrumented code, which must first run inside the fuzzer loop.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rle", "jpeg"];

    public static Action<byte[]>? Find(string name) => name switch
    {
        "rle" => input => DecodeFrame(new RleLosslessCodec(), input),
        "jpeg" => input => DecodeFrame(new JpegLosslessCodec(JpegLosslessCodec.ProcessFourteenUid), input),
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
