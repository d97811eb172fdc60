using System.Buffers;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Bytes for the parser, with a position. Two kinds: memory (values are slices, no copy) and stream (values are read into
/// exact-size arrays once the remaining length allows it, or in chunks when the length is unknown, so a lying length never
/// causes an allocation of its size).
/// </summary>
internal abstract class ByteSource
{
    /// <summary>Offset of the next byte, counted from the start of the input the caller gave.</summary>
    public abstract long Position { get; }

    /// <summary>Bytes left, or null when unknown (deflated or non-seekable input).</summary>
    public abstract long? Remaining { get; }

    /// <summary>True when no byte is left (may read ahead to find out).</summary>
    public abstract bool AtEnd { get; }

    /// <summary>Copies up to <paramref name="destination"/>.Length bytes without consuming them; returns how many exist.</summary>
    public abstract int Peek(Span<byte> destination);

    /// <summary>Consumes <paramref name="destination"/>.Length bytes into it; false at the end of input.</summary>
    public abstract bool TryRead(Span<byte> destination);

    /// <summary>Consumes a value of <paramref name="count"/> bytes; null when the input ends first.</summary>
    public abstract ReadOnlyMemory<byte>? TryReadMemory(int count);

    /// <summary>The unread rest of the input as a stream (for the deflated part of a file, PS3.5 §A.5).</summary>
    public abstract Stream OpenRemainder();
}

/// <summary>A byte array or a slice of one; values are slices of it.</summary>
internal sealed class MemoryByteSource(ReadOnlyMemory<byte> memory, long baseOffset) : ByteSource
{
    private int position;

    public override long Position => baseOffset + position;

    public override long? Remaining => memory.Length - position;

    public override bool AtEnd => position >= memory.Length;

    public override int Peek(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, memory.Length - position);
        memory.Span.Slice(position, n).CopyTo(destination);
        return n;
    }

    public override bool TryRead(Span<byte> destination)
    {
        if (destination.Length > memory.Length - position)
        {
            return false;
        }

        memory.Span.Slice(position, destination.Length).CopyTo(destination);
        position += destination.Length;
        return true;
    }

    public override ReadOnlyMemory<byte>? TryReadMemory(int count)
    {
        if (count > memory.Length - position)
        {
            return null;
        }

        var slice = memory.Slice(position, count);
        position += count;
        return slice;
    }

    public override Stream OpenRemainder()
    {
        var rest = memory[position..];
        position = memory.Length;
        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(rest, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(rest.ToArray(), writable: false);
    }
}

/// <summary>A stream read forward through a small look-ahead buffer.</summary>
internal sealed class StreamByteSource : ByteSource
{
    private const int ChunkSize = 1 << 20;

    private readonly Stream stream;
    private readonly long? length;
    private readonly byte[] lookahead = new byte[256];
    private int lookaheadCount;
    private long position;

    public StreamByteSource(Stream stream, long baseOffset, long? length)
    {
        this.stream = stream;
        this.length = length;
        position = baseOffset;
        BaseOffset = baseOffset;
    }

    public long BaseOffset { get; }

    public override long Position => position;

    public override long? Remaining => length is { } l ? l - (position - BaseOffset) : null;

    public override bool AtEnd => Fill(1) == 0;

    public override int Peek(Span<byte> destination)
    {
        var n = Fill(Math.Min(destination.Length, lookahead.Length));
        lookahead.AsSpan(0, Math.Min(n, destination.Length)).CopyTo(destination);
        return Math.Min(n, destination.Length);
    }

    public override bool TryRead(Span<byte> destination)
    {
        var fromLookahead = Math.Min(lookaheadCount, destination.Length);
        lookahead.AsSpan(0, fromLookahead).CopyTo(destination);
        Consume(fromLookahead);
        var rest = destination[fromLookahead..];
        var read = rest.Length == 0 ? 0 : stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false);
        position += read;
        return read == rest.Length;
    }

    public override ReadOnlyMemory<byte>? TryReadMemory(int count)
    {
        if (Remaining is { } remaining)
        {
            if (count > remaining)
            {
                return null;
            }

            var exact = new byte[count];
            return TryRead(exact) ? exact : null;
        }

        if (count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        // Unknown length: grow chunk by chunk so the allocation follows the bytes that really arrive.
        var writer = new ArrayBufferWriter<byte>(Math.Min(count, ChunkSize));
        var left = count;
        while (left > 0)
        {
            var chunk = Math.Min(left, ChunkSize);
            if (!TryRead(writer.GetSpan(chunk)[..chunk]))
            {
                return null;
            }

            writer.Advance(chunk);
            left -= chunk;
        }

        return writer.WrittenMemory;
    }

    public override Stream OpenRemainder()
    {
        var pending = lookahead.AsSpan(0, lookaheadCount).ToArray();
        position += lookaheadCount;
        lookaheadCount = 0;
        return new PrefixedStream(pending, stream);
    }

    private int Fill(int count)
    {
        while (lookaheadCount < count)
        {
            var n = stream.Read(lookahead, lookaheadCount, count - lookaheadCount);
            if (n == 0)
            {
                break;
            }

            lookaheadCount += n;
        }

        return lookaheadCount;
    }

    private void Consume(int count)
    {
        if (count == 0)
        {
            return;
        }

        Buffer.BlockCopy(lookahead, count, lookahead, 0, lookaheadCount - count);
        lookaheadCount -= count;
        position += count;
    }
}

/// <summary>Read-only: the look-ahead bytes already taken from a stream, then the rest of that stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private int prefixPosition;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (prefixPosition < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - prefixPosition);
            prefix.AsSpan(prefixPosition, n).CopyTo(buffer);
            prefixPosition += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
