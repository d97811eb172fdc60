using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DiffuGts.Testing.Network;

/// <summary>
/// A scripted peer that speaks raw bytes to a DICOM listener on loopback: tests use it to play a bad or slow peer
/// (random bytes, truncated or oversized PDUs, PDUs in the wrong state) and read back exactly what the server answered.
/// </summary>
public sealed class RawPduPeer : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawPduPeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawPduPeer> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, endPoint.Port, cancellationToken);
        return new RawPduPeer(client);
    }

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one PDU (type and body); null when the server closed the connection first.</summary>
    public async Task<(byte Type, byte[] Body)?> ReadPduAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var header = new byte[6];
        try
        {
            // Waiting for the first byte may time out: that is "nothing yet", not a failure, and no byte was consumed.
            var first = await _stream.ReadAsync(header.AsMemory(0, 1), cts.Token);
            if (first == 0)
            {
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }

        if (!await ReadExactlyOrEofAsync(header.AsMemory(1), cts.Token))
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        if (!await ReadExactlyOrEofAsync(body, cts.Token))
        {
            return null;
        }

        return (header[0], body);
    }

    /// <summary>True when the server closed the connection (EOF or reset) within the timeout, discarding anything it sent.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private Task<bool> ReadExactlyOrEofAsync(byte[] buffer, CancellationToken cancellationToken) =>
        ReadExactlyOrEofAsync(buffer.AsMemory(), cancellationToken);

    private async Task<bool> ReadExactlyOrEofAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var read = await _stream.ReadAsync(buffer[filled..], cancellationToken);
                if (read == 0)
                {
                    return false;
                }

                filled += read;
            }
        }
        catch (IOException)
        {
            return false;
        }

        return true;
    }
}
