using System.Net;
using System.Net.Sockets;

namespace DiffuGts.Testing.Network;

/// <summary>
/// Ports for a peer that a test starts on 127.0.0.1 and that cannot report a port it picked itself (storescp, Orthanc,
/// the node from its configuration). The usual trick, binding port 0 and closing the probe, returns a port from the
/// kernel's ephemeral range, the range every outgoing connection of every test assembly running alongside draws its
/// local port from: between the probe and the peer's own bind a client socket can take it, and the peer then fails to
/// listen (CI saw the node's health endpoint lose its port so). These ports lie below the ephemeral ranges of Linux
/// (32768-60999) and Windows (49152-65535), are handed out once per process from a random start (so that test
/// processes running side by side start far apart), and are checked free on every address before they are returned.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A TCP port nothing listens on now and that this process has not handed out before.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free TCP port between {First} and {First + Count - 1} on this machine");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
