namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// Decodes the frames of one compressed transfer syntax (PS3.5 §8.2, Annex A.4). Codecs are found through
/// <c>PixelCodecRegistry</c> by transfer syntax UID; a syntax with no codec gives an "unsupported transfer syntax" error.
/// </summary>
public interface IPixelCodec
{
    /// <summary>The transfer syntax this codec decodes.</summary>
    string TransferSyntaxUid { get; }

    /// <summary>
    /// Decodes one frame. <paramref name="compressed"/> is the frame's encoded bytes (its fragments concatenated, item
    /// headers removed); <paramref name="destination"/> receives exactly <see cref="PixelFrameInfo.FrameLength"/> bytes of
    /// native little-endian pixel data. Corrupt input throws <see cref="InvalidDataException"/> naming what was wrong.
    /// </summary>
    void DecodeFrame(ReadOnlySpan<byte> compressed, PixelFrameInfo info, Span<byte> destination);
}
