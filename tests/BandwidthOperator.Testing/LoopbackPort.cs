using System.Net;
using System.Net.Sockets;

namespace BandwidthOperator.Testing;

/// <summary>
/// A loopback TCP port no one listens on, for an endpoint a test configures by number (the agent's
/// health and metrics ports). Chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range,
/// 32768–60999 by default): a port the kernel handed out with bind(0) could be handed out again — to
/// an outgoing connection's local end or to another listener binding port 0, e.g. an API-server
/// double — between this check and the agent's bind, which then fails with "Address already in use".
/// Ports in 20000–32767 are only ever taken by someone who names them; this process never hands out
/// the same one twice (two endpoints of one agent get two ports).
/// </summary>
public static class LoopbackPort
{
    private const int First = 20000;
    private const int Last = 32767;
    private static readonly HashSet<int> HandedOut = [];

    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}–{Last} after 200 tries");
    }
}
