using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Reads back single objects, all in one write, one answer each: <c>tc qdisc get</c>-style requests
/// (<c>RTM_GETQDISC</c> by parent and handle, <c>RTM_GETTCLASS</c> by class ID, <c>RTM_GETTFILTER</c> by
/// parent, priority, protocol and handle — <c>tc filter get dev D parent P prio N handle H protocol all u32</c>).
/// What a pass just wrote is read back this way instead of dumping the whole tree again.
/// </summary>
internal static class TcGet
{
    private const int ENOENT = 2;

    // NLM_F_ECHO: kernels that answer a qdisc or class get through their notification path (6.x, when
    // nobody listens to RTNLGRP_TC) send the answer to the asker only when it asks for an echo.
    private const ushort GetFlags = NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_ECHO;

    /// <summary>
    /// The kernel's version of each of <paramref name="objects"/> (qdiscs, HTB classes, u32 filters) with
    /// counters; <see cref="TcSnapshot.ForeignObjects"/> lists those it does not hold (or that could not be asked for).
    /// </summary>
    public static TcSnapshot Read(RtnetlinkSocket socket, LinkSnapshot links, IReadOnlyList<TcObject> objects)
    {
        var writer = new NetlinkWriter(256 + (objects.Count * 64));
        var asked = new Dictionary<uint, TcObject>();
        var missing = new List<string>();
        foreach (var o in objects)
        {
            if (links.Find(o.Device) is not { } link)
            {
                missing.Add(Describe(o));
                continue;
            }

            var seq = socket.NextSequence();
            switch (o)
            {
                case Qdisc q:
                    writer.BeginMessage(NetlinkNumbers.RTM_GETQDISC, GetFlags, seq);
                    writer.TcMsg(link.Index, q.Handle.Value, q.Parent.Value);
                    break;
                case HtbClass c:
                    writer.BeginMessage(NetlinkNumbers.RTM_GETTCLASS, GetFlags, seq);
                    writer.TcMsg(link.Index, c.Handle.Value, c.Parent.Value);
                    break;
                case U32Filter f:
                    writer.BeginMessage(NetlinkNumbers.RTM_GETTFILTER, GetFlags, seq);
                    writer.TcMsg(link.Index, f.Handle, f.Parent.Value, TcMessage.FilterInfo(f.Priority, f.Protocol));
                    writer.PutString(Tca.TCA_KIND, "u32");
                    break;
                default:
                    missing.Add(Describe(o));
                    continue;
            }

            writer.EndMessage();
            asked[seq] = o;
        }

        var found = new List<TcObject>(asked.Count);
        var counters = new Dictionary<TcObjectKey, TcCounters>();
        foreach (var (seq, (reply, error)) in socket.Get(writer, asked.Keys, $"tc get ({asked.Count} objects)"))
        {
            var wanted = asked[seq];
            if (reply is null)
            {
                if (error is { Errno: not ENOENT } e)
                {
                    throw new TcKernelException(Describe(wanted), wanted.Device, e.Errno, e.KernelMessage);
                }

                missing.Add(Describe(wanted));
                continue;
            }

            var m = TcMessage.Parse(reply.Value);
            var got = Decode(m, wanted, links.Index);
            if (got is null)
            {
                missing.Add(Describe(wanted));
                continue;
            }

            found.Add(got);
            if (TcStatsCodec.Decode(m) is { } c)
            {
                counters[got.Key] = c;
            }
        }

        return new TcSnapshot([.. found.OrderBy(o => o.Key)], counters, missing);
    }

    /// <summary>The object <paramref name="m"/> describes when it is <paramref name="wanted"/> (same kind and key), else null.</summary>
    public static TcObject? Decode(TcMessage m, TcObject wanted, IDeviceIndex devices)
    {
        TcObject? got = wanted switch
        {
            Qdisc => QdiscCodec.Decode(m, wanted.Device),
            HtbClass when m.Kind == "htb" => HtbClassCodec.Decode(m, wanted.Device),
            U32Filter when m.Kind == "u32" => U32FilterCodec.Decode(m, wanted.Device, devices),
            _ => null,
        };
        return got is not null && got.Key == wanted.Key ? got : null;
    }

    public static string Describe(TcObject o) => $"{o.Key.Type} {new TcHandle(o.Key.Handle)} parent {new TcHandle(o.Key.Parent)} dev {o.Device}";
}
