using System.Globalization;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Ownership;

/// <summary>
/// What in the kernel is ours — the one place that says it, for the planner (what it may change or
/// remove), <c>teardown</c> (what it removes) and <c>show</c> (what it labels as ours). The agent touches
/// nothing else (docs/architecture.md, "The planner pipeline"):
/// <list type="bullet">
/// <item>IFB devices named <c>bwin{bridge ifindex}</c> / <c>bwout{bridge ifindex}</c> (this layout's trees)
/// and <c>bwi{port ifindex}</c> (the previous layout's per-port outbound limits), and everything on them;</item>
/// <item>on a guest port, the <c>clsact</c> (or previous layout's <c>ingress</c>) hook when every filter on
/// it redirects to one of our IFBs, and the previous layout's TBF with handle <c>b0:</c> at its root;</item>
/// <item>on a bridge device, the previous layout's tree: root <c>htb 1: default 2 r2q 2026</c> and what hangs off it.</item>
/// </list>
/// Handles (<c>1:</c>, classes <c>1:N</c>), names, filter priorities and the hooks' priorities are defined by
/// <see cref="ShapingTree"/>, <see cref="BridgeTree"/>, <see cref="DeviceLimits"/> and <see cref="PortHook"/>;
/// this class decides ownership, and their <c>IsOur…</c>/<c>Holder</c>/<c>Owned</c> helpers ask it.
/// </summary>
public static class KernelOwnership
{
    /// <summary>The IFB devices of a bridge's trees: inbound, outbound.</summary>
    public static (string Inbound, string Outbound) TreeIfbs(int bridgeIndex) =>
        (ShapingTree.IfbName(Direction.Inbound, bridgeIndex), ShapingTree.IfbName(Direction.Outbound, bridgeIndex));

    /// <summary>The direction and bridge index a tree IFB of ours stands for, or null when the device is not one.</summary>
    public static (Direction Direction, int BridgeIndex)? TreeOf(string device) => ShapingTree.ParseIfb(device);

    /// <summary>The port ifindex a previous-layout IFB (<c>bwi{ifindex}</c>) stands for, or null when the device is not one.</summary>
    public static int? LegacyPortOf(string device) =>
        DeviceLimits.IsOurIfb(device) && int.TryParse(device.AsSpan(DeviceLimits.IfbPrefix.Length), CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>Whether the device is an IFB of ours, of either layout.</summary>
    public static bool IsOurIfb(string device) => ShapingTree.IsOurIfb(device) || DeviceLimits.IsOurIfb(device);

    /// <summary>Whether the filter is one of our hooks' redirects into a tree (what <c>show</c> calls a hooked port).</summary>
    public static bool IsOurHookRedirect(U32Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Parent.Major == 0xFFFF && filter.RedirectTo is { } to && ShapingTree.IsOurIfb(to);
    }

    /// <summary>
    /// The previous layout's tree among the objects on a bridge device: when the root qdisc is ours, it and
    /// every class, leaf and filter below it (not the ingress side); otherwise nothing.
    /// </summary>
    public static IReadOnlyList<TcObject> LegacyRootTree(IReadOnlyList<TcObject> onBridge)
    {
        ArgumentNullException.ThrowIfNull(onBridge);
        Qdisc? root = null;
        foreach (var o in onBridge)
        {
            if (o is Qdisc q && q.Parent == TcHandle.Root)
            {
                root = q;
                break;
            }
        }

        if (root is null || !IsOurTreeRoot(root))
        {
            return [];
        }

        var ours = new List<TcObject>();
        foreach (var o in onBridge)
        {
            if (o.Parent() is { } p && (p == TcHandle.Root || (p != TcHandle.Ingress && p.Major != 0xFFFF)))
            {
                ours.Add(o);
            }
        }

        return ours;
    }

    /// <summary>Whether a root qdisc is one of our trees' (<c>htb 1: default 2 r2q 2026</c>: on our IFBs, or the previous layout's on a bridge).</summary>
    public static bool IsOurTreeRoot(Qdisc q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return q.Parent == TcHandle.Root && q.Handle == BridgeTree.RootHandle
            && q.Options is HtbQdiscOptions { DefaultClass: BridgeTree.DefaultClass, R2q: BridgeTree.OwnerMarkR2q };
    }

    /// <summary>Whether a qdisc is the previous layout's per-port limit: a TBF with handle <c>b0:</c> at the root.</summary>
    public static bool IsOurLegacyPortLimit(Qdisc q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return q.Parent == TcHandle.Root && q.Handle == DeviceLimits.TbfHandle && q.Options is TbfQdiscOptions;
    }

    /// <summary>
    /// What holds a port's ingress/clsact hook so that ours cannot go there, or null when nothing does or what
    /// is there is ours (every filter on it redirects to one of our IFBs). <paramref name="foreignFilter"/> is
    /// the first object on the port's ingress side that the dump did not understand (a bpf filter …), if any
    /// (<see cref="ForeignIngressFilters"/>).
    /// </summary>
    public static string? HookHolder(string port, IReadOnlyList<TcObject> onPort, string? foreignFilter)
    {
        ArgumentNullException.ThrowIfNull(onPort);
        if (HookQdisc(port, onPort) is not { } qdisc)
        {
            return null;
        }

        if (foreignFilter is not null)
        {
            return $"a {qdisc.Kind} qdisc with filters BandwidthOperator did not create ({foreignFilter})";
        }

        var any = false;
        foreach (var f in HookFilters(port, onPort))
        {
            any = true;
            if (f.RedirectTo is not { } to || !IsOurIfb(to))
            {
                return $"a {qdisc.Kind} qdisc with filters BandwidthOperator did not create (u32 parent {f.Parent} prio {f.Priority}{(f.RedirectTo is { } t ? " redirecting to " + t : string.Empty)})";
            }
        }

        return !any && qdisc.Options is not ClsactQdiscOptions ? $"an {qdisc.Kind} qdisc that BandwidthOperator did not create" : null;
    }

    /// <summary>Our hook on a port (its clsact/ingress qdisc and filters), when it is ours; else nothing.</summary>
    public static IEnumerable<TcObject> HookObjects(string port, IReadOnlyList<TcObject> onPort, string? foreignFilter)
    {
        ArgumentNullException.ThrowIfNull(onPort);
        if (HookHolder(port, onPort, foreignFilter) is not null || HookQdisc(port, onPort) is not { } qdisc)
        {
            return [];
        }

        return [qdisc, .. HookFilters(port, onPort)];
    }

    /// <summary>Our objects on a bridge port: the previous layout's TBF <c>b0:</c> and the hook (when it is ours).</summary>
    public static IEnumerable<TcObject> PortObjects(string port, IReadOnlyList<TcObject> onPort, string? foreignFilter)
    {
        ArgumentNullException.ThrowIfNull(onPort);
        foreach (var o in onPort)
        {
            if (o is Qdisc q && IsOurLegacyPortLimit(q))
            {
                yield return q;
            }
        }

        foreach (var o in HookObjects(port, onPort, foreignFilter))
        {
            yield return o;
        }
    }

    /// <summary>The first of <paramref name="foreignObjects"/> on <paramref name="port"/>'s ingress side, if any.</summary>
    public static string? ForeignIngressFilter(string port, IEnumerable<string> foreignObjects)
    {
        ArgumentNullException.ThrowIfNull(foreignObjects);
        return foreignObjects.FirstOrDefault(f => f.EndsWith(" dev " + port, StringComparison.Ordinal) && f.Contains(" parent ffff:", StringComparison.Ordinal));
    }

    private static Qdisc? HookQdisc(string port, IReadOnlyList<TcObject> onPort)
    {
        foreach (var o in onPort)
        {
            if (o is Qdisc q && q.Device == port && q.Parent == TcHandle.Ingress)
            {
                return q;
            }
        }

        return null;
    }

    private static IEnumerable<U32Filter> HookFilters(string port, IReadOnlyList<TcObject> onPort) =>
        onPort.OfType<U32Filter>().Where(f => f.Device == port && f.Parent.Major == 0xFFFF && !Diff.TreeDiff.IsImplicit(f));

    /// <summary>
    /// Per device, the first of the snapshot's <paramref name="foreignObjects"/> on its ingress side
    /// (<c>… parent ffff:… dev PORT</c>): what makes a hook foreign although the dump could not parse it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForeignIngressFilters(IEnumerable<string> foreignObjects)
    {
        ArgumentNullException.ThrowIfNull(foreignObjects);
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in foreignObjects)
        {
            var at = f.LastIndexOf(" dev ", StringComparison.Ordinal);
            if (at >= 0 && f.Contains(" parent ffff:", StringComparison.Ordinal))
            {
                first.TryAdd(f[(at + 5)..], f);
            }
        }

        return first;
    }

    /// <summary>
    /// Whether an IFB device of ours that no planned bridge uses any more is removed: its bridge (this layout)
    /// or its port's bridge (previous layout) is gone or is no bridge, or is named by no network — unless that
    /// bridge belongs to a network left as it is (<paramref name="protectedBridges"/>), the plan names only some
    /// bridges (<paramref name="pruneUnnamed"/> false and the bridge unnamed), or the bridge is out of scope.
    /// </summary>
    public static bool RemovesOrphanIfb(
        string device,
        IReadOnlyDictionary<int, DeviceFacts> byIndex,
        Func<string, bool> namedBridge,
        IReadOnlySet<string> protectedBridges,
        bool pruneUnnamed,
        Func<string, bool> inScope)
    {
        ArgumentNullException.ThrowIfNull(byIndex);
        ArgumentNullException.ThrowIfNull(namedBridge);
        ArgumentNullException.ThrowIfNull(protectedBridges);
        ArgumentNullException.ThrowIfNull(inScope);
        if (TreeOf(device) is { } tree)
        {
            var bridge = byIndex.TryGetValue(tree.BridgeIndex, out var b) && b.IsBridge ? b.Name : null;
            var namedOnly = !pruneUnnamed && (bridge is null || !namedBridge(bridge));
            // An IFB whose bridge is gone belongs to no scope: any pass removes it.
            var outOfScope = bridge is not null && !inScope(bridge);
            return !namedOnly && !outOfScope && (bridge is null || !protectedBridges.Contains(bridge));
        }

        if (DeviceLimits.IsOurIfb(device))
        {
            var port = LegacyPortOf(device) is { } index && byIndex.TryGetValue(index, out var p) ? p : null;
            var namedOnly = !pruneUnnamed && (port?.Master is not { } m || !namedBridge(m));
            var outOfScope = port?.Master is { } portBridge && !inScope(portBridge);
            return !namedOnly && !outOfScope && (port?.Master is not { } master || !protectedBridges.Contains(master));
        }

        return false;
    }

    /// <summary>
    /// The devices that carry what is ours for one bridge: the bridge (the previous layout's tree), its trees'
    /// IFBs, its ports (hooks) and the previous layout's per-port IFBs (<c>teardown --bridge</c>).
    /// </summary>
    public static IReadOnlySet<string> DevicesOfBridge(NodeFacts facts, string bridge)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var devices = new HashSet<string>(StringComparer.Ordinal) { bridge };
        if (facts.Devices.TryGetValue(bridge, out var bridgeDevice))
        {
            var (inbound, outbound) = TreeIfbs(bridgeDevice.IfIndex);
            devices.Add(inbound);
            devices.Add(outbound);
        }

        foreach (var port in facts.Devices.Values.Where(d => d.Master == bridge))
        {
            devices.Add(port.Name);
            devices.Add(DeviceLimits.IfbName(port.IfIndex));
        }

        return devices;
    }
}
