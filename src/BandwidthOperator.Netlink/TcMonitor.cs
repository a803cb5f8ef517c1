using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Best-effort listener for tc, link and bridge forwarding-database changes: <c>tc monitor</c>,
/// <c>ip monitor link</c> and <c>bridge monitor fdb</c> (multicast groups <c>RTNLGRP_TC</c>,
/// <c>RTNLGRP_LINK</c> and <c>RTNLGRP_NEIGH</c>). Calls the handler on a background thread for every
/// qdisc, class or filter added, changed or deleted, every link added, changed (a port enslaved, a
/// state change) or deleted, and every MAC a bridge learned, moved or forgot, in the namespace it was
/// started in. Used to enqueue a bridge for drift repair, to hook ports that come later, and to
/// invalidate the agent's cached kernel view (docs/architecture.md, "The kernel view"); it does not
/// say what changed.
/// </summary>
public sealed class TcMonitor : IDisposable
{
    private const int PollMs = 200;
    private const int ENOBUFS = 105;

    private readonly RtnetlinkSocket _socket;
    private readonly TcKernel _lookup;
    private readonly Action<TcChange> _handler;
    private readonly Action<Exception>? _onError;
    private readonly Thread _thread;
    private readonly Dictionary<int, string> _names = [];
    private volatile bool _stopping;

    private TcMonitor(RtnetlinkSocket socket, TcKernel lookup, Action<TcChange> handler, Action<Exception>? onError)
    {
        _socket = socket;
        _lookup = lookup;
        _handler = handler;
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = "tc-monitor" };
    }

    /// <summary>
    /// Starts listening in the current namespace (null) or in the one at <paramref name="netnsPath"/>.
    /// Exceptions thrown by <paramref name="handler"/> and socket failures go to <paramref name="onError"/>
    /// (and never end the process); a socket failure other than lost notifications stops the monitor.
    /// </summary>
    public static TcMonitor Start(string? netnsPath, Action<TcChange> handler, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var socket = RtnetlinkSocket.Open(netnsPath, NetlinkNumbers.RTNLGRP_TC, NetlinkNumbers.RTNLGRP_LINK, NetlinkNumbers.RTNLGRP_NEIGH);
        try
        {
            var monitor = new TcMonitor(socket, TcKernel.Open(netnsPath), handler, onError);
            monitor._thread.Start();
            return monitor;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _socket.Dispose();
        _lookup.Dispose();
    }

    private void Run()
    {
        while (!_stopping)
        {
            List<NetlinkMessage> messages;
            try
            {
                messages = _socket.ReceiveAny(PollMs);
            }
            catch (TcKernelException e) when (e.Errno == ENOBUFS)
            {
                Deliver(new TcChange(0, null, TcObjectType.Qdisc, false, Overrun: true));
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (TcKernelException e)
            {
                _onError?.Invoke(e);
                return;
            }

            foreach (var m in messages)
            {
                if (ToChange(m) is { } change)
                {
                    Deliver(change);
                }
            }
        }
    }

    private void Deliver(TcChange change)
    {
#pragma warning disable CA1031 // A handler's failure must not end the process from a background thread.
        try
        {
            _handler(change);
        }
        catch (Exception e)
        {
            _onError?.Invoke(e);
        }
#pragma warning restore CA1031
    }

    private TcChange? ToChange(NetlinkMessage m)
    {
        if (m.Type is NetlinkNumbers.RTM_NEWLINK or NetlinkNumbers.RTM_DELLINK && m.Payload.Length >= 8)
        {
            // struct ifinfomsg: family, pad, type, index (offset 4).
            var index = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(m.Payload.Span[4..]);
            var deleted = m.Type == NetlinkNumbers.RTM_DELLINK;
            if (deleted)
            {
                _names.Remove(index);
            }

            return new TcChange(index, deleted ? null : NameOf(index), TcObjectType.IfbLink, deleted, SenderPortId: m.PortId) { Link = true };
        }

        if (m.Type is NetlinkNumbers.RTM_NEWNEIGH or NetlinkNumbers.RTM_DELNEIGH)
        {
            return ToFdbChange(m);
        }

        (TcObjectType Type, bool Deleted)? kind = m.Type switch
        {
            NetlinkNumbers.RTM_NEWQDISC => (TcObjectType.Qdisc, false),
            NetlinkNumbers.RTM_DELQDISC => (TcObjectType.Qdisc, true),
            NetlinkNumbers.RTM_NEWTCLASS => (TcObjectType.Class, false),
            NetlinkNumbers.RTM_DELTCLASS => (TcObjectType.Class, true),
            NetlinkNumbers.RTM_NEWTFILTER => (TcObjectType.Filter, false),
            NetlinkNumbers.RTM_DELTFILTER => (TcObjectType.Filter, true),
            _ => null,
        };
        if (kind is null || m.Payload.Length < Tca.TcMsgLength)
        {
            return null;
        }

        var tc = TcMessage.Parse(m);
        return new TcChange(tc.IfIndex, NameOf(tc.IfIndex), kind.Value.Type, kind.Value.Deleted, SenderPortId: m.PortId);
    }

    /// <summary>
    /// A MAC a bridge learned, moved or forgot (<c>bridge monitor fdb</c>): reported for the bridge
    /// (<c>NDA_MASTER</c>). Neighbour entries of other families (ARP, NDP) and entries without a bridge are not changes of ours.
    /// </summary>
    private TcChange? ToFdbChange(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        if (p.Length < NetlinkNumbers.NdMsgLength || p[0] != NetlinkNumbers.AF_BRIDGE)
        {
            return null;
        }

        var attributes = NetlinkAttributes.Parse(m.Payload[NetlinkNumbers.NdMsgLength..], 16);
        if (attributes.U32(NetlinkNumbers.NDA_MASTER) is not { } master || master == 0)
        {
            return null;
        }

        var bridge = (int)master;
        return new TcChange(bridge, NameOf(bridge), TcObjectType.IfbLink, m.Type == NetlinkNumbers.RTM_DELNEIGH, SenderPortId: m.PortId) { Fdb = true };
    }

    private string? NameOf(int ifindex)
    {
        if (_names.TryGetValue(ifindex, out var name))
        {
            return name;
        }

        try
        {
            name = _lookup.DeviceName(ifindex);
        }
        catch (TcKernelException)
        {
            return null;
        }

        if (name is not null)
        {
            _names[ifindex] = name;
        }

        return name;
    }
}
