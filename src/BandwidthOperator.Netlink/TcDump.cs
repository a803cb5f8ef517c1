using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Reads the traffic-control objects of some devices, with their counters:
/// <c>tc -s qdisc show</c> (one dump for the namespace), then per device <c>tc -s class show dev D</c>
/// and <c>tc -s filter show dev D parent P</c> for each qdisc P that can hold filters.
/// </summary>
internal static class TcDump
{
    /// <summary>Qdiscs that never have classes to list: a device holding only these needs no class dump.</summary>
    private static readonly HashSet<string> Classless = new(StringComparer.Ordinal) { "noqueue", "pfifo_fast", "pfifo", "bfifo", "clsact", "ingress" };

    /// <summary>
    /// What the kernel holds on <paramref name="devices"/> (missing devices are skipped; see <see cref="TcKernel.Dump"/>),
    /// their names resolved against <paramref name="links"/>.
    /// </summary>
    public static TcSnapshot Read(RtnetlinkSocket socket, LinkSnapshot links, IEnumerable<string> devices)
    {
        var wanted = new Dictionary<int, NetworkLink>();
        foreach (var name in devices)
        {
            if (links.Find(name) is { } link)
            {
                wanted[link.Index] = link;
            }
        }

        var objects = new List<TcObject>();
        var counters = new Dictionary<TcObjectKey, TcCounters>();
        var foreign = new List<string>();
        if (wanted.Count == 0)
        {
            return new TcSnapshot(objects, counters, foreign);
        }

        void Add(TcObject o, TcMessage m)
        {
            objects.Add(o);
            if (TcStatsCodec.Decode(m) is { } c)
            {
                counters[o.Key] = c;
            }
        }

        // The kernel does not filter qdisc dumps by device: one dump, kept for the wanted devices.
        var qdiscs = new List<Qdisc>();
        foreach (var raw in socket.Dump(NetlinkNumbers.RTM_GETQDISC, w => w.TcMsg(0, 0, 0), "tc qdisc show"))
        {
            var m = TcMessage.Parse(raw);
            if (wanted.TryGetValue(m.IfIndex, out var link))
            {
                var q = QdiscCodec.Decode(m, link.Name);
                qdiscs.Add(q);
                Add(q, m);
            }
        }

        var qdiscsByDevice = qdiscs.ToLookup(q => q.Device, StringComparer.Ordinal);
        foreach (var link in wanted.Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (link.Kind == "ifb")
            {
                objects.Add(new IfbLink(link.Name));
            }

            if (qdiscsByDevice[link.Name].Any(q => !Classless.Contains(q.Kind)))
            {
                DumpClasses(socket, link, Add, foreign);
            }
            foreach (var q in qdiscsByDevice[link.Name])
            {
                foreach (var parent in FilterParents(q))
                {
                    DumpFilters(socket, link, parent, links.Index, Add, foreign);
                }
            }
        }

        return new TcSnapshot([.. objects.OrderBy(o => o.Key)], counters, foreign);
    }

    /// <summary>
    /// Only the HTB classes of <paramref name="devices"/> with their counters: <c>tc -s class show dev D</c>, one
    /// class dump per device (no qdisc or filter dump), for counters read at scrape time. Missing devices are skipped.
    /// </summary>
    public static TcSnapshot ReadClasses(RtnetlinkSocket socket, LinkSnapshot links, IEnumerable<string> devices)
    {
        var objects = new List<TcObject>();
        var counters = new Dictionary<TcObjectKey, TcCounters>();
        var foreign = new List<string>();
        var seen = new HashSet<int>();
        foreach (var name in devices)
        {
            if (links.Find(name) is { } link && seen.Add(link.Index))
            {
                DumpClasses(socket, link, (o, m) =>
                {
                    objects.Add(o);
                    if (TcStatsCodec.Decode(m) is { } c)
                    {
                        counters[o.Key] = c;
                    }
                }, foreign);
            }
        }

        return new TcSnapshot([.. objects.OrderBy(o => o.Key)], counters, foreign);
    }

    private static void DumpClasses(RtnetlinkSocket socket, NetworkLink link, Action<TcObject, TcMessage> add, List<string> foreign)
    {
        foreach (var raw in socket.Dump(NetlinkNumbers.RTM_GETTCLASS, w => w.TcMsg(link.Index, 0, 0), $"tc class show dev {link.Name}", link.Name))
        {
            var m = TcMessage.Parse(raw);
            if (m.IfIndex != link.Index)
            {
                continue;
            }

            if (m.Kind == "htb")
            {
                add(HtbClassCodec.Decode(m, link.Name), m);
            }
            else if (m.Kind is not ("tbf" or "ingress" or "clsact"))
            {
                // tbf's class for its inner qdisc (and the pseudo-classes of ingress/clsact) come with
                // the qdisc; anything else (a foreign classful qdisc's classes) is reported.
                foreign.Add($"class {m.Kind} {new TcHandle(m.Handle)} parent {new TcHandle(m.Parent)} dev {link.Name}");
            }
        }
    }

    private static IEnumerable<TcHandle> FilterParents(Qdisc q)
    {
        switch (q.Options)
        {
            case ClsactQdiscOptions:
                yield return TcHandle.Of(0xFFFF, 0xFFF2);
                yield return TcHandle.Of(0xFFFF, 0xFFF3);
                break;
            case FifoQdiscOptions or TbfQdiscOptions or SfqQdiscOptions or FqCodelQdiscOptions:
                break;
            default:
                if (q.Handle.Major != 0)
                {
                    yield return TcHandle.Of(q.Handle.Major, 0);
                }

                break;
        }
    }

    private static void DumpFilters(RtnetlinkSocket socket, NetworkLink link, TcHandle parent, IDeviceIndex index, Action<TcObject, TcMessage> add, List<string> foreign)
    {
        var messages = socket.Dump(
            NetlinkNumbers.RTM_GETTFILTER,
            w => w.TcMsg(link.Index, 0, parent.Value),
            $"tc filter show dev {link.Name} parent {parent}",
            link.Name);
        foreach (var raw in messages)
        {
            var m = TcMessage.Parse(raw);
            if (m.IfIndex != link.Index || m.Handle == 0)
            {
                continue;
            }

            var chain = m.Attributes.U32(Tca.TCA_CHAIN) ?? 0;
            if (m.Kind != "u32" || chain != 0)
            {
                foreign.Add($"filter {m.Kind} parent {new TcHandle(m.Parent)} prio {m.Priority} chain {chain} handle 0x{m.Handle:x} dev {link.Name}");
                continue;
            }

            if (U32FilterCodec.Decode(m, link.Name, index) is { } f)
            {
                add(f, m);
            }
        }
    }
}
