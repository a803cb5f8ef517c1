using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Lab.Traffic;

/// <summary>
/// ping from inside a namespace, in-process (the machines here have no ping program): one ICMP or
/// ICMPv6 echo request on a raw socket created in the namespace, waiting for the matching reply.
/// </summary>
public static class IcmpEcho
{
    private static int s_identifier = Environment.ProcessId & 0x7fff;

    /// <summary>Sends echo requests from <paramref name="source"/> to <paramref name="target"/> until one is answered or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> PingAsync(NetworkNamespace source, IPAddress target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var v6 = target.AddressFamily == AddressFamily.InterNetworkV6;
        using var socket = source.Enter(() => v6
            ? new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6)
            : new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        var id = (ushort)Interlocked.Increment(ref s_identifier);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[2048];
        ushort sequence = 0;
        while (true)
        {
            var request = new byte[16];
            request[0] = v6 ? (byte)128 : (byte)8;
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), id);
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), ++sequence);
            if (!v6)
            {
                // ICMPv6 checksums are filled in by the kernel; ICMP (v4) ones are ours.
                BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));
            }

            try
            {
                await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(target, 0), deadline.Token);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(250));
                while (true)
                {
                    var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0), attempt.Token);
                    if (!((IPEndPoint)r.RemoteEndPoint).Address.Equals(target))
                    {
                        continue;
                    }

                    // Raw IPv4 sockets deliver the IP header too; IPv6 ones do not.
                    var offset = v6 ? 0 : (buffer[0] & 0x0f) * 4;
                    if (r.ReceivedBytes >= offset + 8
                        && buffer[offset] == (v6 ? 129 : 0)
                        && BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset + 4)) == id)
                    {
                        return true;
                    }
                }
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // No answer to this one yet: send another.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (SocketException)
            {
                // e.g. network unreachable while routes settle: retry until the deadline.
                try
                {
                    await Task.Delay(50, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
            }
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
