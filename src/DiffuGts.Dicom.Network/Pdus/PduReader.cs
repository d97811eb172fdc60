using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// Reads whole PDUs from a <see cref="PipeReader"/> without copying: the returned body is a view of the pipe's buffers
/// and stays valid until the next <see cref="ReadAsync"/>. The header is checked before the body is awaited, so a PDU
/// longer than we announced (or of an unknown type) is refused before a byte of it is buffered (PS3.8 §9.3.1, Annex D.1).
/// </summary>
public sealed class PduReader
{
    /// <summary>A-ASSOCIATE and other control PDUs are not limited by Maximum Length; we still cap them.</summary>
    public const int MaxControlPduLength = 256 * 1024;

    private readonly PipeReader _reader;
    private SequencePosition? _consumed;

    public PduReader(PipeReader reader, uint maxPDataLength)
    {
        _reader = reader;
        MaxPDataLength = maxPDataLength;
    }

    /// <summary>The Maximum Length we announced for P-DATA-TF (0 would mean unlimited; we never announce 0).</summary>
    public uint MaxPDataLength { get; set; }

    /// <summary>Bytes of the current PDU body (for tests that check nothing more was buffered).</summary>
    public long BufferedBodyLength { get; private set; }

    /// <summary>The next PDU, or null when the peer closed the connection cleanly between PDUs.</summary>
    /// <exception cref="DicomProtocolException">Unknown type, bad length, or an oversized PDU.</exception>
    /// <exception cref="EndOfStreamException">The connection closed inside a PDU.</exception>
    public async ValueTask<ReceivedPdu?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_consumed is { } consumed)
        {
            _reader.AdvanceTo(consumed);
            _consumed = null;
        }

        long? needed = null;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (needed is null && buffer.Length >= PduEncoder.HeaderLength)
            {
                needed = PduEncoder.HeaderLength + CheckHeader(buffer);
            }

            if (needed is { } total && buffer.Length >= total)
            {
                var type = (PduType)buffer.FirstSpan[0];
                var body = buffer.Slice(PduEncoder.HeaderLength, total - PduEncoder.HeaderLength);
                _consumed = body.End;
                BufferedBodyLength = body.Length;
                return new ReceivedPdu(type, body);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.End);
                if (buffer.Length == 0 && result.IsCompleted)
                {
                    return null;
                }

                throw new EndOfStreamException($"connection closed inside a PDU after {buffer.Length} bytes");
            }

            // Nothing consumed, everything examined: wake up only when more bytes arrive.
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Validates the 6-byte header and returns the body length.</summary>
    private long CheckHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[PduEncoder.HeaderLength];
        buffer.Slice(0, PduEncoder.HeaderLength).CopyTo(header);
        var type = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        if (type is < (byte)PduType.AssociateRequest or > (byte)PduType.Abort)
        {
            // dicom-facts §6.12: non-DICOM traffic (HTTP, scanners) is refused on its first byte.
            throw new DicomProtocolException($"unrecognised PDU type 0x{type:x2}", AbortReason.UnrecognizedPdu);
        }

        var limit = (PduType)type switch
        {
            PduType.PData => MaxPDataLength == 0 ? uint.MaxValue : MaxPDataLength,
            PduType.AssociateRequest or PduType.AssociateAccept => (uint)MaxControlPduLength,
            _ => 4u,
        };
        if (length > limit || ((PduType)type is not PduType.PData and not PduType.AssociateRequest and not PduType.AssociateAccept
            && length != 4))
        {
            throw new DicomProtocolException(
                $"{(PduType)type} PDU length {length} exceeds the limit of {limit} bytes", AbortReason.InvalidPduParameterValue);
        }

        return length;
    }
}
