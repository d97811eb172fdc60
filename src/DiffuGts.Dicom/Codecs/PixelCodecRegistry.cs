using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// The pixel codecs this library has, keyed by transfer syntax UID (PS3.5 Annex A.4). Native syntaxes need no codec and
/// are not listed; a compressed syntax that is not listed is unsupported.
/// </summary>
public static class PixelCodecRegistry
{
    private static readonly FrozenDictionary<string, IPixelCodec> Codecs = new IPixelCodec[]
    {
        new RleLosslessCodec(),
        new JpegLosslessCodec(JpegLosslessCodec.ProcessFourteenUid),
        new JpegLosslessCodec(JpegLosslessCodec.FirstOrderPredictionUid),
    }.ToFrozenDictionary(c => c.TransferSyntaxUid, StringComparer.Ordinal);

    /// <summary>Transfer syntax UIDs that have a codec, in ordinal order.</summary>
    public static IReadOnlyList<string> SupportedTransferSyntaxes { get; } = [.. Codecs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Finds the codec for a transfer syntax. A UID read from a file may carry its trailing NUL pad (PS3.5 §9.1), which is
    /// ignored here.
    /// </summary>
    public static bool TryGet(string transferSyntaxUid, [NotNullWhen(true)] out IPixelCodec? codec)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        return Codecs.TryGetValue(transferSyntaxUid.TrimEnd('\0', ' '), out codec);
    }
}
