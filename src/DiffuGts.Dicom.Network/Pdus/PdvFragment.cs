using System.Buffers;

namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A received PDV: a view over the reader's buffer, valid until the next PDU is read (no copy).</summary>
public readonly record struct PdvFragment(byte ContextId, byte MessageControlHeader, ReadOnlySequence<byte> Data)
{
    public bool IsCommand => (MessageControlHeader & 1) != 0;

    public bool IsLast => (MessageControlHeader & 2) != 0;
}
