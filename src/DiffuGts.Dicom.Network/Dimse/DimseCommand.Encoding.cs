using System.Buffers.Binary;
using System.Text;

namespace DiffuGts.Dicom.Network.Dimse;

/// <summary>
/// Implicit VR Little Endian encoding of the command set (PS3.7 §6.3.1): elements in ascending tag order, (0000,0000)
/// first with the byte count of the rest; UI values NUL-padded, AE/LO values space-padded to even length (PS3.5 §6.2).
/// </summary>
public sealed partial record DimseCommand
{
    /// <summary>A command set larger than this is not a command set (ours are under 300 bytes).</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private const ushort GroupLengthTag = 0x0000;
    private const ushort AffectedSopClassUidTag = 0x0002;
    private const ushort CommandFieldTag = 0x0100;
    private const ushort MessageIdTag = 0x0110;
    private const ushort MessageIdBeingRespondedToTag = 0x0120;
    private const ushort MoveDestinationTag = 0x0600;
    private const ushort PriorityTag = 0x0700;
    private const ushort CommandDataSetTypeTag = 0x0800;
    private const ushort StatusTag = 0x0900;
    private const ushort OffendingElementTag = 0x0901;
    private const ushort ErrorCommentTag = 0x0902;
    private const ushort AffectedSopInstanceUidTag = 0x1000;
    private const ushort MoveOriginatorAeTitleTag = 0x1030;
    private const ushort MoveOriginatorMessageIdTag = 0x1031;

    public byte[] Encode()
    {
        var body = new List<byte>(256);
        Text(body, AffectedSopClassUidTag, AffectedSopClassUid, 0);
        UInt16(body, CommandFieldTag, (ushort)CommandField);
        UInt16(body, MessageIdTag, MessageId);
        UInt16(body, MessageIdBeingRespondedToTag, MessageIdBeingRespondedTo);
        Text(body, MoveDestinationTag, MoveDestination, (byte)' ');
        UInt16(body, PriorityTag, (ushort?)Priority);
        UInt16(body, CommandDataSetTypeTag, CommandDataSetType);
        UInt16(body, StatusTag, Status?.Code);
        if (OffendingElements is { Count: > 0 } tags)
        {
            Header(body, OffendingElementTag, tags.Count * 4);
            foreach (var tag in tags)
            {
                Append(body, (ushort)(tag >> 16));
                Append(body, (ushort)tag);
            }
        }

        Text(body, ErrorCommentTag, ErrorComment, (byte)' ');
        Text(body, AffectedSopInstanceUidTag, AffectedSopInstanceUid, 0);
        Text(body, MoveOriginatorAeTitleTag, MoveOriginatorAeTitle, (byte)' ');
        UInt16(body, MoveOriginatorMessageIdTag, MoveOriginatorMessageId);

        var result = new byte[12 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)body.Count);
        body.CopyTo(result, 12);
        return result;
    }

    /// <summary>Decodes a command set; unknown group-0000 elements are skipped.</summary>
    /// <exception cref="DicomProtocolException">Truncated element, or a required field missing.</exception>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes)
    {
        ushort? commandField = null;
        var command = new DimseCommand { CommandField = 0 };
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8)
            {
                throw new DicomProtocolException($"command set: truncated element header at offset {offset}");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(offset + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            offset += 8;
            if (length > bytes.Length - offset)
            {
                throw new DicomProtocolException(
                    $"command set: element ({group:X4},{element:X4}) length {length} exceeds the {bytes.Length - offset} bytes left");
            }

            var value = bytes.Slice(offset, (int)length);
            offset += (int)length;
            if (group != 0)
            {
                continue; // PS3.7 §6.3: only group 0000 belongs here; anything else is ignored.
            }

            switch (element)
            {
                case AffectedSopClassUidTag:
                    command = command with { AffectedSopClassUid = String(value) };
                    break;
                case CommandFieldTag:
                    commandField = Us(value, element);
                    break;
                case MessageIdTag:
                    command = command with { MessageId = Us(value, element) };
                    break;
                case MessageIdBeingRespondedToTag:
                    command = command with { MessageIdBeingRespondedTo = Us(value, element) };
                    break;
                case MoveDestinationTag:
                    command = command with { MoveDestination = String(value) };
                    break;
                case PriorityTag:
                    command = command with { Priority = (DimsePriority)Us(value, element) };
                    break;
                case CommandDataSetTypeTag:
                    command = command with { CommandDataSetType = Us(value, element) };
                    break;
                case StatusTag:
                    command = command with { Status = new DimseStatus(Us(value, element)) };
                    break;
                case OffendingElementTag:
                    var tags = new List<uint>();
                    for (var i = 0; i + 4 <= value.Length; i += 4)
                    {
                        tags.Add(((uint)BinaryPrimitives.ReadUInt16LittleEndian(value[i..]) << 16)
                            | BinaryPrimitives.ReadUInt16LittleEndian(value[(i + 2)..]));
                    }

                    command = command with { OffendingElements = tags };
                    break;
                case ErrorCommentTag:
                    command = command with { ErrorComment = String(value) };
                    break;
                case AffectedSopInstanceUidTag:
                    command = command with { AffectedSopInstanceUid = String(value) };
                    break;
                case MoveOriginatorAeTitleTag:
                    command = command with { MoveOriginatorAeTitle = String(value) };
                    break;
                case MoveOriginatorMessageIdTag:
                    command = command with { MoveOriginatorMessageId = Us(value, element) };
                    break;
                default:
                    break;
            }
        }

        if (commandField is null)
        {
            throw new DicomProtocolException("command set without (0000,0100) Command Field");
        }

        return command with { CommandField = (CommandField)commandField.Value };
    }

    private static ushort Us(ReadOnlySpan<byte> value, ushort element) => value.Length == 2
        ? BinaryPrimitives.ReadUInt16LittleEndian(value)
        : throw new DicomProtocolException($"command set: (0000,{element:X4}) US has length {value.Length}");

    private static string String(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).Trim(' ', '\0');

    private static void Header(List<byte> body, ushort element, int length)
    {
        Append(body, 0);
        Append(body, element);
        Span<byte> l = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(l, (uint)length);
        foreach (var b in l)
        {
            body.Add(b);
        }
    }

    private static void Append(List<byte> body, ushort value)
    {
        body.Add((byte)value);
        body.Add((byte)(value >> 8));
    }

    private static void UInt16(List<byte> body, ushort element, ushort? value)
    {
        if (value is { } v)
        {
            Header(body, element, 2);
            Append(body, v);
        }
    }

    private static void Text(List<byte> body, ushort element, string? value, byte padding)
    {
        if (value is null)
        {
            return;
        }

        var bytes = Encoding.ASCII.GetBytes(value);
        var padded = bytes.Length + (bytes.Length & 1);
        Header(body, element, padded);
        body.AddRange(bytes);
        if (padded != bytes.Length)
        {
            body.Add(padding);
        }
    }
}
