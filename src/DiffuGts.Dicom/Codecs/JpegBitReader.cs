using System.Runtime.CompilerServices;

namespace DiffuGts.Dicom.Codecs;

/// <summary>
/// Reads the bits of one entropy-coded segment (ITU T.81 F.2.2.5): most significant bit first, a 0xFF byte followed by a
/// stuffed 0x00, stopping at the next marker. Past a marker or the end of the data it supplies zero bits and counts them,
/// so a truncated segment is reported instead of read past.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer;
    private int _count;
    private int _padding;
    private bool _stopped;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>The offset of the first byte not yet moved into the bit buffer.</summary>
    public readonly int Position => _position;

    /// <summary>True once decoding has consumed any of the zero bits supplied past the end of the segment.</summary>
    public readonly bool Overran => _padding > _count;

    /// <summary>Makes at least 32 bits available, enough for one Huffman code (≤ 16) and its additional bits (≤ 15).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure32()
    {
        if (_count < 32)
        {
            Fill();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Peek16() => (int)(_buffer >> 48);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int bits)
    {
        _buffer <<= bits;
        _count -= bits;
    }

    /// <summary>Takes 1..16 bits; call <see cref="Ensure32"/> first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Take(int bits)
    {
        var value = (int)(_buffer >> (64 - bits));
        _buffer <<= bits;
        _count -= bits;
        return value;
    }

    /// <summary>
    /// Ends the current entropy-coded segment (its last byte is padded with 1-bits, F.1.2.3) and continues after the
    /// marker at <paramref name="markerOffset"/>.
    /// </summary>
    public void Restart(int markerOffset)
    {
        _position = markerOffset + 2;
        _buffer = 0;
        _count = 0;
        _padding = 0;
        _stopped = false;
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            uint b = 0;
            if (!_stopped && _position < _data.Length)
            {
                b = _data[_position];
                if (b != 0xFF)
                {
                    _position++;
                }
                else if (_position + 1 < _data.Length && _data[_position + 1] == 0)
                {
                    // F.1.2.3: 0xFF 0x00 is one data byte 0xFF.
                    _position += 2;
                }
                else
                {
                    // A marker ends the segment; it is left for the caller.
                    _stopped = true;
                    b = 0;
                    _padding += 8;
                }
            }
            else
            {
                _stopped = true;
                _padding += 8;
            }

            _buffer |= (ulong)b << (56 - _count);
            _count += 8;
        }
    }
}
