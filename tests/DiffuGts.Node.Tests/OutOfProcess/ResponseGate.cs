using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// A loopback TCP relay between a modality and the node that counts the DIMSE messages the node sends back (PDVs that
/// carry the last fragment of a command set, PS3.8 §9.3.5.1 and Annex E) and, once the chosen number has been passed on,
/// runs an action (a kill) before it passes on another byte. The modality then holds exactly that many responses
/// whatever the load on the machine, which a kill triggered from the modality's log cannot promise: the log is read
/// behind the sender, and a small study can be stored whole before the kill lands.
/// </summary>
internal sealed class ResponseGate : IAsyncDisposable
{
    private const byte DataTransferPdu = 0x04;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _relay;

    private ResponseGate(int targetPort, int responses, Func<Task> action)
    {
        _listener.Start();
        _relay = RelayAsync(targetPort, responses, action);
    }

    /// <summary>Listens on a free loopback port for one association, relayed to <paramref name="targetPort"/>.</summary>
    public static ResponseGate Start(int targetPort, int responses, Func<Task> action) => new(targetPort, responses, action);

    /// <summary>The port the modality connects to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes once the action has run after the chosen number of responses.</summary>
    public Task Fired => _fired.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _relay;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task RelayAsync(int targetPort, int responses, Func<Task> action)
    {
        using var modality = await _listener.AcceptTcpClientAsync(_stop.Token);
        using var node = new TcpClient();
        await node.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
        var toModality = modality.GetStream();
        var fromNode = node.GetStream();
        var upstream = modality.GetStream().CopyToAsync(fromNode, _stop.Token);

        var header = new byte[6];
        var seen = 0;
        try
        {
            while (await ReadFullyAsync(fromNode, header, _stop.Token))
            {
                var pdu = new byte[6 + BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
                header.CopyTo(pdu, 0);
                if (!await ReadFullyAsync(fromNode, pdu.AsMemory(6), _stop.Token))
                {
                    break;
                }

                if (header[0] == DataTransferPdu)
                {
                    seen += CountCommandEnds(pdu.AsSpan(6));
                }

                await toModality.WriteAsync(pdu, _stop.Token);
                if (seen >= responses)
                {
                    await action();
                    _fired.TrySetResult();
                    break;
                }
            }

            // The node closed the association before that many responses: the gate never fired.
            _fired.TrySetException(new InvalidOperationException($"the node sent {seen} of the {responses} responses the gate waited for"));
        }
        catch (Exception e)
        {
            _fired.TrySetException(e);
            throw;
        }
        finally
        {
            modality.Close();
            node.Close();
            try
            {
                await upstream;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>PDV items: a 4-byte length, the presentation context ID, the message control header (bit 0 command, bit 1 last).</summary>
    private static int CountCommandEnds(ReadOnlySpan<byte> items)
    {
        var count = 0;
        while (items.Length >= 6)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(items);
            if ((items[5] & 0x03) == 0x03)
            {
                count++;
            }

            items = items[Math.Min(items.Length, 4 + length)..];
        }

        return count;
    }

    private static async Task<bool> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancel) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel) == buffer.Length;
}
