using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BandwidthOperator.Netlink.Interop;
using BandwidthOperator.Netlink.Namespaces;

namespace BandwidthOperator.Netlink.Protocol;

/// <summary>
/// A <c>NETLINK_ROUTE</c> socket (P/Invoke), with extended acks and capped acks on, large buffers,
/// sequence numbers, batched sends and dumps. Not thread-safe: one caller at a time.
/// </summary>
internal sealed unsafe class RtnetlinkSocket : IDisposable
{
    // The kernel never makes a netlink datagram larger than 32 KiB (dump skbs are capped there).
    private const int ReceiveBufferBytes = 64 << 10;
    private const int KernelBufferBytes = 8 << 20;
    private const int ReceiveTimeoutMs = 30_000;

    private readonly byte[] _receive = new byte[ReceiveBufferBytes];
    private int _fd;
    private uint _sequence;

    private RtnetlinkSocket(int fd, uint portId)
    {
        _fd = fd;
        PortId = portId;
        _sequence = (uint)Environment.TickCount;
    }

    public uint PortId { get; }

    /// <summary>
    /// Opens a socket in the current network namespace (<paramref name="netnsPath"/> null) or in
    /// the namespace at <paramref name="netnsPath"/> (<c>/var/run/netns/NAME</c>, or just NAME), joined
    /// to the multicast <paramref name="groups"/> (<c>RTNLGRP_*</c>) if any.
    /// The socket stays bound to that namespace for its whole life (<see cref="NetworkNamespaceThread"/>).
    /// </summary>
    public static RtnetlinkSocket Open(string? netnsPath, params uint[] groups)
    {
        if (netnsPath is null)
        {
            return Create(groups);
        }

        try
        {
            return NetworkNamespaceThread.Run(netnsPath, () => Create(groups));
        }
        catch (IOException e)
        {
            throw new TcKernelException($"open netlink socket in {NetworkNamespaceThread.PathOf(netnsPath)}: {e.Message}", e);
        }
    }

    /// <summary>Dump and get requests sent since the socket was opened: the kernel reads.</summary>
    public long Reads { get; private set; }

    public uint NextSequence() => unchecked(++_sequence == 0 ? ++_sequence : _sequence);

    /// <summary>Sends one dump request and returns every reply message until <c>NLMSG_DONE</c>; retries when the dump was interrupted.</summary>
    public List<NetlinkMessage> Dump(ushort type, Action<NetlinkWriter> header, string operation, string? device = null, ushort extraFlags = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            var w = new NetlinkWriter(256);
            var seq = NextSequence();
            w.BeginMessage(type, (ushort)(NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_DUMP | extraFlags), seq);
            header(w);
            w.EndMessage();
            Send(w.Written, operation, device);
            Reads++;
            var (messages, interrupted) = ReceiveDump(seq, operation, device);
            if (!interrupted || attempt >= 4)
            {
                return messages;
            }
        }
    }

    /// <summary>
    /// Sends a batch of requests (each with <c>NLM_F_ACK</c>) in one write and collects one ack per
    /// request, by sequence number; answers to anything else (a request given up earlier) are dropped.
    /// </summary>
    public Dictionary<uint, NetlinkAck> Transact(NetlinkWriter batch, IReadOnlyCollection<uint> sequences, string operation, string? device = null) =>
        Transact(batch, sequences, operation, device, null);

    /// <summary>
    /// As <see cref="Transact(NetlinkWriter, IReadOnlyCollection{uint}, string, string?)"/>; messages other than acks that
    /// answer one of <paramref name="sequences"/> (what the kernel echoes for a request sent with <c>NLM_F_ECHO</c>, before
    /// its ack) go to <paramref name="reply"/>.
    /// </summary>
    public Dictionary<uint, NetlinkAck> Transact(NetlinkWriter batch, IReadOnlyCollection<uint> sequences, string operation, string? device, Action<NetlinkMessage>? reply)
    {
        var expected = sequences.ToHashSet();
        var acks = new Dictionary<uint, NetlinkAck>(expected.Count);
        if (expected.Count == 0)
        {
            return acks;
        }

        Send(batch.Written, operation, device);
        while (acks.Count < expected.Count)
        {
            foreach (var m in ReceiveOnce(ReceiveTimeoutMs, operation, device))
            {
                if (m.Type == NetlinkNumbers.NLMSG_ERROR && expected.Contains(m.Sequence))
                {
                    acks[m.Sequence] = ParseAck(m);
                }
                else if (reply is not null && m.Type is not (NetlinkNumbers.NLMSG_NOOP or NetlinkNumbers.NLMSG_DONE or NetlinkNumbers.NLMSG_ERROR) && expected.Contains(m.Sequence))
                {
                    reply(m);
                }
            }
        }

        return acks;
    }

    /// <summary>
    /// Sends a batch of get requests (no <c>NLM_F_DUMP</c>, no <c>NLM_F_ACK</c>) in one write and collects
    /// each one's answer by sequence number: the object the kernel holds, or the error (<c>ENOENT</c>: no such object).
    /// </summary>
    public Dictionary<uint, (NetlinkMessage? Reply, NetlinkAck? Error)> Get(NetlinkWriter batch, IReadOnlyCollection<uint> sequences, string operation)
    {
        var expected = sequences.ToHashSet();
        var answers = new Dictionary<uint, (NetlinkMessage?, NetlinkAck?)>(expected.Count);
        if (expected.Count == 0)
        {
            return answers;
        }

        Send(batch.Written, operation, null);
        Reads += expected.Count;
        while (answers.Count < expected.Count)
        {
            foreach (var m in ReceiveOnce(ReceiveTimeoutMs, operation, null))
            {
                if (!expected.Contains(m.Sequence) || answers.ContainsKey(m.Sequence))
                {
                    continue;
                }

                if (m.Type == NetlinkNumbers.NLMSG_ERROR)
                {
                    answers[m.Sequence] = (null, ParseAck(m));
                }
                else if (m.Type is not (NetlinkNumbers.NLMSG_NOOP or NetlinkNumbers.NLMSG_DONE))
                {
                    answers[m.Sequence] = (m, null);
                }
            }
        }

        return answers;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for messages (for multicast listeners); empty when none came.</summary>
    public List<NetlinkMessage> ReceiveAny(int timeoutMs) => ReceiveOnce(timeoutMs, "receive netlink notifications", null, throwOnTimeout: false);

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            NativeMethods.Close(fd);
        }
    }

    internal static NetlinkAck ParseAck(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        var errno = p.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(p) : 0;
        string? text = null;
        if ((m.Flags & NetlinkNumbers.NLM_F_ACK_TLVS) != 0 && p.Length >= 4 + NetlinkNumbers.HeaderLength)
        {
            var offset = 4 + NetlinkNumbers.HeaderLength;
            if ((m.Flags & NetlinkNumbers.NLM_F_CAPPED) == 0)
            {
                var origLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(p[4..]);
                offset = 4 + ((origLength + 3) & ~3);
            }

            if (offset <= p.Length)
            {
                var tlv = NetlinkAttributes.Parse(m.Payload[offset..], NetlinkNumbers.NLMSGERR_ATTR_OFFS);
                text = tlv.String(NetlinkNumbers.NLMSGERR_ATTR_MSG);
            }
        }

        return new NetlinkAck(m.Sequence, errno, string.IsNullOrEmpty(text) ? null : text);
    }

    private static RtnetlinkSocket Create(uint[] groups)
    {
        var fd = NativeMethods.Socket(NativeMethods.AF_NETLINK, NativeMethods.SOCK_RAW | NativeMethods.SOCK_CLOEXEC, NativeMethods.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Errno("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", null);
        }

        try
        {
            SetBuffer(fd, NativeMethods.SO_SNDBUFFORCE, NativeMethods.SO_SNDBUF);
            SetBuffer(fd, NativeMethods.SO_RCVBUFFORCE, NativeMethods.SO_RCVBUF);
            var one = 1;
            if (NativeMethods.SetSockOpt(fd, NativeMethods.SOL_NETLINK, NativeMethods.NETLINK_EXT_ACK, &one, sizeof(int)) != 0
                || NativeMethods.SetSockOpt(fd, NativeMethods.SOL_NETLINK, NativeMethods.NETLINK_CAP_ACK, &one, sizeof(int)) != 0)
            {
                throw Errno("setsockopt(NETLINK_EXT_ACK/NETLINK_CAP_ACK)", null);
            }

            var addr = new SockaddrNl { Family = NativeMethods.AF_NETLINK };
            if (NativeMethods.Bind(fd, &addr, sizeof(SockaddrNl)) != 0)
            {
                throw Errno("bind(AF_NETLINK)", null);
            }

            foreach (var group in groups)
            {
                var g = group;
                if (g != 0 && NativeMethods.SetSockOpt(fd, NativeMethods.SOL_NETLINK, NativeMethods.NETLINK_ADD_MEMBERSHIP, &g, sizeof(uint)) != 0)
                {
                    throw Errno("setsockopt(NETLINK_ADD_MEMBERSHIP)", null);
                }
            }

            var len = sizeof(SockaddrNl);
            if (NativeMethods.GetSockName(fd, &addr, &len) != 0)
            {
                throw Errno("getsockname(AF_NETLINK)", null);
            }

            return new RtnetlinkSocket(fd, addr.PortId);
        }
        catch
        {
            NativeMethods.Close(fd);
            throw;
        }
    }

    private static void SetBuffer(int fd, int force, int plain)
    {
        var size = KernelBufferBytes;
        if (NativeMethods.SetSockOpt(fd, NativeMethods.SOL_SOCKET, force, &size, sizeof(int)) != 0)
        {
            // Not privileged: the kernel caps the plain option at net.core.[rw]mem_max.
            NativeMethods.SetSockOpt(fd, NativeMethods.SOL_SOCKET, plain, &size, sizeof(int));
        }
    }

    private static TcKernelException Errno(string operation, string? device)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new TcKernelException(operation, device, errno, null);
    }

    private void Send(ReadOnlySpan<byte> data, string operation, string? device)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var kernel = new SockaddrNl { Family = NativeMethods.AF_NETLINK };
        fixed (byte* p = data)
        {
            while (true)
            {
                var n = NativeMethods.SendTo(_fd, p, data.Length, 0, &kernel, sizeof(SockaddrNl));
                if (n >= 0)
                {
                    return;
                }

                if (Marshal.GetLastPInvokeError() != NativeMethods.EINTR)
                {
                    throw Errno(operation, device);
                }
            }
        }
    }

    private (List<NetlinkMessage> Messages, bool Interrupted) ReceiveDump(uint seq, string operation, string? device)
    {
        var result = new List<NetlinkMessage>();
        var interrupted = false;
        while (true)
        {
            foreach (var m in ReceiveOnce(ReceiveTimeoutMs, operation, device))
            {
                if (m.Sequence != seq)
                {
                    continue;
                }

                interrupted |= (m.Flags & NetlinkNumbers.NLM_F_DUMP_INTR) != 0;
                switch (m.Type)
                {
                    case NetlinkNumbers.NLMSG_DONE:
                        return (result, interrupted);
                    case NetlinkNumbers.NLMSG_ERROR:
                        var ack = ParseAck(m);
                        if (ack.Ok)
                        {
                            return (result, interrupted);
                        }

                        throw new TcKernelException(operation, device, ack.Errno, ack.KernelMessage);
                    case NetlinkNumbers.NLMSG_NOOP:
                        break;
                    default:
                        result.Add(m);
                        break;
                }
            }
        }
    }

    private List<NetlinkMessage> ReceiveOnce(int timeoutMs, string operation, string? device, bool throwOnTimeout = true)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var pfd = new PollFd { Fd = _fd, Events = NativeMethods.POLLIN };
        var ready = NativeMethods.Poll(&pfd, 1, timeoutMs);
        if (ready < 0)
        {
            if (Marshal.GetLastPInvokeError() == NativeMethods.EINTR)
            {
                return [];
            }

            throw Errno(operation, device);
        }

        if (ready == 0)
        {
            return throwOnTimeout
                ? throw new TcKernelException(operation, device, NativeMethods.EAGAIN, $"no answer from the kernel within {timeoutMs} ms")
                : [];
        }

        nint n;
        fixed (byte* p = _receive)
        {
            n = NativeMethods.Recv(_fd, p, _receive.Length, 0);
        }

        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is NativeMethods.EINTR or NativeMethods.EAGAIN)
            {
                return [];
            }

            throw new TcKernelException(operation, device, errno, errno == NativeMethods.ENOBUFS ? "netlink receive buffer overrun: replies were lost" : null);
        }

        return NetlinkMessage.Split(_receive.AsSpan(0, (int)n));
    }
}
