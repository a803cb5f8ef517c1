using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>
/// What ties a guest port to its bridge's trees: a <c>clsact</c> qdisc whose egress (traffic toward the
/// guest) is redirected to the inbound IFB and whose ingress (traffic from the guest) to the outbound IFB.
/// <code>
/// tc qdisc add dev PORT clsact
/// tc filter add dev PORT parent ffff:fff3 prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev bwinB
/// tc filter add dev PORT parent ffff:fff2 prio 2 protocol all u32 match u32 0 0 action mirred egress redirect dev bwoutB
/// </code>
/// A clsact or ingress qdisc is ours when every filter on it redirects to one of our IFB devices (this
/// layout's or the previous one's <c>bwi{digits}</c>); anything else holds the port and is left alone.
/// </summary>
public static class PortHook
{
    /// <summary>
    /// Each side has its own priority: clsact's sides share one u32 instance, whose dump of a side lists every
    /// table of that priority, so one priority would show each redirect on both sides.
    /// </summary>
    public const ushort EgressPriority = 1;
    public const ushort IngressPriority = 2;

    public static TcHandle QdiscHandle => TcHandle.Of(0xFFFF, 0);

    /// <summary>clsact's ingress side (from the guest).</summary>
    public static TcHandle IngressParent => TcHandle.Of(0xFFFF, 0xFFF2);

    /// <summary>clsact's egress side (toward the guest).</summary>
    public static TcHandle EgressParent => TcHandle.Of(0xFFFF, 0xFFF3);

    /// <summary>
    /// The hook for <paramref name="port"/>. clsact's two sides share one u32 instance, so the kernel picks the
    /// root table of each side (800: for the first made, 801: for the other): a redirect the port already
    /// carries keeps its handle (<paramref name="observed"/>), a new one is added with handle 0 and the kernel
    /// chooses it.
    /// </summary>
    public static IEnumerable<TcObject> Build(string port, string? inboundIfb, string? outboundIfb, IReadOnlyList<TcObject>? observed = null)
    {
        if (inboundIfb is null && outboundIfb is null)
        {
            yield break;
        }

        observed ??= [];
        var clsactThere = observed.OfType<Qdisc>().Any(q => q.Device == port && q.Parent == TcHandle.Ingress && q.Options is ClsactQdiscOptions);
        yield return new Qdisc(port, QdiscHandle, TcHandle.Ingress, new ClsactQdiscOptions());
        if (inboundIfb is not null)
        {
            yield return Redirect(port, EgressParent, inboundIfb, clsactThere ? observed : []);
        }

        if (outboundIfb is not null)
        {
            yield return Redirect(port, IngressParent, outboundIfb, clsactThere ? observed : []);
        }
    }

    public static U32Filter Redirect(string port, TcHandle parent, string ifb, IReadOnlyList<TcObject> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var priority = parent == EgressParent ? EgressPriority : IngressPriority;
        var wanted = new U32Filter(port, parent, priority, U32Filter.ProtocolAll, 0, [new U32Key(0, 0, 0)], RedirectTo: ifb);
        var existing = observed.OfType<U32Filter>().FirstOrDefault(f => f.Device == port && f.Parent == parent && U32Handle.Node(f.Handle) != 0 && f == wanted with { Handle = f.Handle });
        return existing ?? wanted;
    }

    /// <summary>Whether the device is one of the IFBs we redirect to (this layout's or the previous one's).</summary>
    public static bool IsOurRedirectTarget(string device) => KernelOwnership.IsOurIfb(device);

    /// <summary>
    /// What holds the port's ingress/clsact hook, or null when nothing does or what is there is ours
    /// (<see cref="KernelOwnership.HookHolder"/>). <paramref name="foreignObjects"/> are the snapshot's objects
    /// the agent does not understand (a bpf filter …).
    /// </summary>
    public static string? Holder(string port, IReadOnlyList<TcObject> objects, IEnumerable<string> foreignObjects) =>
        KernelOwnership.HookHolder(port, objects, KernelOwnership.ForeignIngressFilter(port, foreignObjects));

    /// <summary>Our hook objects on the port (qdisc and filters), when the hook is ours (<see cref="KernelOwnership.HookObjects"/>).</summary>
    public static IEnumerable<TcObject> Owned(string port, IReadOnlyList<TcObject> objects, IEnumerable<string> foreignObjects) =>
        KernelOwnership.HookObjects(port, objects, KernelOwnership.ForeignIngressFilter(port, foreignObjects));
}
