namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// JPEG Lossless, Non-Hierarchical (ITU T.81 process 14: SOF3, Huffman coding, Annex H) for the two DICOM transfer
/// syntaxes that carry it (PS3.5 A.4.1): 1.2.840.10008.1.2.4.57 (any predictor 1–7) and 1.2.840.10008.1.2.4.70
/// (Selection Value 1). Both decode whatever predictor the scan header names.
/// </summary>
public sealed class JpegLosslessCodec : IPixelCodec
{
    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14).</summary>
    public const string ProcessFourteenUid = "1.2.840.10008.1.2.4.57";

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1]).</summary>
    public const string FirstOrderPredictionUid = "1.2.840.10008.1.2.4.70";

    public JpegLosslessCodec(string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        if (transferSyntaxUid is not (ProcessFourteenUid or FirstOrderPredictionUid))
        {
            throw new ArgumentException($"{transferSyntaxUid} is not a JPEG Lossless transfer syntax", nameof(transferSyntaxUid));
        }

        TransferSyntaxUid = transferSyntaxUid;
    }

    public string TransferSyntaxUid { get; }

    public void DecodeFrame(ReadOnlySpan<byte> compressed, PixelFrameInfo info, Span<byte> destination)
    {
        var frameLength = PixelFrameLayout.Validate(info, destination.Length, "JPEG Lossless");
        JpegLosslessDecoder.Decode(compressed, info, destination[..frameLength]);
    }
}
