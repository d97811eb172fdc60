using System.Buffers;
using System.Buffers.Binary;
using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Association;

/// <summary>
/// Sends a DIMSE message as P-DATA-TF PDUs, one PDV per PDU, each within the maximum the PEER announced (dicom-facts
/// §2.6: fragment ≤ peerMax − 6; never our own value, dicom-rs #163). Fragments are even-length except possibly the
/// last (§6.7). The data set streams from its source through two pooled buffers: the PDU and PDV headers are written
/// in front of the data already read, so each byte is copied once, and one read of look-ahead tells which fragment is last.
/// </summary>
internal static class PDataSender
{
    /// <summary>Our fragment size when the peer announces 0 (no limit).</summary>
    public const int UnlimitedFragment = 1024 * 1024 - 12;

    private const int Prefix = PduEncoder.HeaderLength + PresentationDataValue.Overhead;

    public static int FragmentLength(uint peerMaxPduLength)
    {
        if (peerMaxPduLength == 0 || peerMaxPduLength > UnlimitedFragment + PresentationDataValue.Overhead)
        {
            return UnlimitedFragment;
        }

        var length = (int)peerMaxPduLength - PresentationDataValue.Overhead;
        return Math.Max(2, length & ~1);
    }

    public static async ValueTask SendAsync(Stream output, byte contextId, bool isCommand, ReadOnlyMemory<byte> data, uint peerMaxPduLength,
        CancellationToken cancellationToken)
    {
        var fragment = FragmentLength(peerMaxPduLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Prefix + Math.Min(fragment, Math.Max(data.Length, 2)));
        try
        {
            var offset = 0;
            do
            {
                var length = Math.Min(fragment, data.Length - offset);
                data.Slice(offset, length).CopyTo(buffer.AsMemory(Prefix));
                offset += length;
                await WriteFragmentAsync(output, buffer, length, contextId, isCommand, offset == data.Length, cancellationToken);
            }
            while (offset < data.Length);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Streams a data set; returns the number of bytes sent.</summary>
    public static async ValueTask<long> SendDataSetAsync(Stream output, byte contextId, Stream source, uint peerMaxPduLength,
        CancellationToken cancellationToken)
    {
        var fragment = FragmentLength(peerMaxPduLength);
        var current = ArrayPool<byte>.Shared.Rent(Prefix + fragment);
        var next = ArrayPool<byte>.Shared.Rent(Prefix + fragment);
        long total = 0;
        try
        {
            var currentLength = await FillAsync(source, current.AsMemory(Prefix, fragment), cancellationToken);
            while (true)
            {
                var nextLength = currentLength < fragment ? 0 : await FillAsync(source, next.AsMemory(Prefix, fragment), cancellationToken);
                var last = nextLength == 0;
                await WriteFragmentAsync(output, current, currentLength, contextId, isCommand: false, last, cancellationToken);
                total += currentLength;
                if (last)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }

            await output.FlushAsync(cancellationToken);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    private static async ValueTask WriteFragmentAsync(Stream output, byte[] buffer, int length, byte contextId, bool isCommand, bool last,
        CancellationToken cancellationToken)
    {
        buffer[0] = (byte)PduType.PData;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(PresentationDataValue.Overhead + length));
        PDataTfPdu.WritePdvHeader(buffer.AsSpan(PduEncoder.HeaderLength), contextId,
            (byte)((isCommand ? 1 : 0) | (last ? 2 : 0)), length);
        await output.WriteAsync(buffer.AsMemory(0, Prefix + length), cancellationToken);
    }

    private static async ValueTask<int> FillAsync(Stream source, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = await source.ReadAsync(destination[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
