using System.Buffers;
using System.Buffers.Binary;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>Writes a whole PDU (header + body). PS3.8 §9.3.1: the length field counts the bytes after itself.</summary>
public static class PduEncoder
{
    public const int HeaderLength = 6;

    public static int EncodedLength(IPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        return HeaderLength + pdu.BodyLength;
    }

    public static void Encode(IPdu pdu, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var body = pdu.BodyLength;
        destination[0] = (byte)pdu.Type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)body);
        pdu.WriteBody(destination.Slice(HeaderLength, body));
    }

    public static byte[] ToArray(IPdu pdu)
    {
        var bytes = new byte[EncodedLength(pdu)];
        Encode(pdu, bytes);
        return bytes;
    }

    /// <summary>Encodes into a pooled buffer, writes it and returns the buffer (in <c>finally</c>).</summary>
    public static async ValueTask WriteAsync(Stream stream, IPdu pdu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = EncodedLength(pdu);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encode(pdu, buffer.AsSpan(0, length));
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
