namespace DiffuGts.Fuzz;

/// <summary>
/// A connection for the "pdu" target: reading returns the fuzzer's bytes and then end of stream (the peer closed);
/// what the SCP writes back (A-ASSOCIATE-AC, responses, A-ABORT) is discarded.
/// </summary>
internal sealed class FuzzConnection(byte[] input) : MemoryStream(input, writable: false)
{
    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
    }

    public override void WriteByte(byte value)
    {
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
