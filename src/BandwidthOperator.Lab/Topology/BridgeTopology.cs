using System.Globalization;
using System.Net;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Lab.Topology;

/// <summary>
/// A routed bridge network in namespaces, like a node with VMs on a Linux bridge:
/// <code>
///  external (eth0 10.78.0.2, fd78::2) ── vext ┐
///                                       host: br0 10.77.0.1/24, fd77::1/64, forwarding on
///  guest i (eth0 52:54:00:00:00:ii,           ├─ vg1 ── guest 1 (10.77.0.11, fd77::11)
///          10.77.0.(10+i), fd77::(10+i))      └─ vg2 ── guest 2 (10.77.0.12, fd77::12) …
/// </code>
/// Traffic from <see cref="External"/> to a guest is routed by <see cref="Host"/> and leaves through
/// the bridge device's egress — where the HTB class tree sits. Nothing else limits the path (veth
/// has no rate), so an HTB root class on <c>br0</c> is the bottleneck by itself;
/// <see cref="CapExternalLink"/> exists for tests that want a slower path before the bridge.
/// Every namespace gets a unique name; <see cref="Dispose"/> removes them all (and with them every
/// device), also after a failed test.
/// <para>
/// <see cref="CreateL2"/> builds the usual VM setup instead: the external host is on an <b>uplink
/// port</b> of the bridge (<see cref="UplinkPort"/>, standing in for the NIC or VLAN a KubeVirt bridge
/// binding puts in the bridge), on the guests' own subnet (10.77.0.2, fd77::2): frames reach the guests
/// by bridging, not routing. The uplink port is a veth, so a BridgeNetwork names it in
/// <c>spec.ports.uplinks</c>.
/// </para>
/// </summary>
public sealed class BridgeTopology : IDisposable
{
    public const string BridgeName = "br0";
    public const string ExternalHostPort = "vext";
    public const string ExternalDevice = "eth0";
    public const string UplinkPort = "vup";
    public const int MaxGuests = 200;

    public static readonly IPAddress BridgeIPv4 = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress BridgeIPv6 = IPAddress.Parse("fd77::1");
    public static readonly IPAddress ExternalHostIPv4 = IPAddress.Parse("10.78.0.1");
    public static readonly IPAddress ExternalHostIPv6 = IPAddress.Parse("fd78::1");
    public static readonly IPAddress ExternalIPv4 = IPAddress.Parse("10.78.0.2");
    public static readonly IPAddress ExternalIPv6 = IPAddress.Parse("fd78::2");

    private readonly List<NetworkNamespace> _namespaces;
    private bool _disposed;

    public static readonly IPAddress L2ExternalIPv4 = IPAddress.Parse("10.77.0.2");
    public static readonly IPAddress L2ExternalIPv6 = IPAddress.Parse("fd77::2");

    /// <summary>The external host's MAC on the L2 topology.</summary>
    public static MacAddress ExternalMac => new(0x5254_00FF_0002UL);

    private BridgeTopology(NetworkNamespace host, NetworkNamespace external, IReadOnlyList<BridgeGuest> guests, List<NetworkNamespace> all, bool l2)
    {
        Host = host;
        External = external;
        Guests = guests;
        _namespaces = all;
        IsL2 = l2;
        ExternalHost = new BridgeGuest(0, external, l2 ? UplinkPort : ExternalHostPort, ExternalMac, l2 ? L2ExternalIPv4 : ExternalIPv4, l2 ? L2ExternalIPv6 : ExternalIPv6);
    }

    /// <summary>Whether the external host is on an uplink port of the bridge (<see cref="CreateL2"/>) rather than routed.</summary>
    public bool IsL2 { get; }

    /// <summary>The IFB device carrying the bridge's tree in <paramref name="direction"/> (<c>in</c> or <c>out</c>): <c>bwin{ifindex of br0}</c> or <c>bwout{…}</c>.</summary>
    public string TreeDevice(string direction = "in")
    {
        var line = Host.Ip("-o", "link", "show", "dev", BridgeName);
        var index = line[..line.IndexOf(':', StringComparison.Ordinal)].Trim();
        return (direction == "out" ? "bwout" : "bwin") + index;
    }

    /// <summary>The external host as a traffic endpoint (to send to it from a guest: outbound traffic).</summary>
    public BridgeGuest ExternalHost { get; }

    /// <summary>The namespace holding the bridge (the "node").</summary>
    public NetworkNamespace Host { get; }

    /// <summary>The namespace traffic comes from, routed through <see cref="Host"/>.</summary>
    public NetworkNamespace External { get; }

    public IReadOnlyList<BridgeGuest> Guests { get; }

    /// <summary>Every namespace of this topology (host, external, guests).</summary>
    public IReadOnlyList<NetworkNamespace> Namespaces => _namespaces;

    /// <summary>The MAC address guest <paramref name="index"/> (1-based) gets: 52:54:00:00:00:ii.</summary>
    public static MacAddress GuestMac(int index) => new(0x5254_0000_0000UL | (uint)index);

    /// <summary>Builds the topology with <paramref name="guestCount"/> guests (numbered from 1), in namespaces with unique test names.</summary>
    public static BridgeTopology Create(int guestCount, string hint = "br") =>
        Create(guestCount, role => NetworkNamespace.Create(hint + role), l2: false);

    /// <summary>Builds the L2 topology (external host on the uplink port <see cref="UplinkPort"/>), in namespaces with unique test names.</summary>
    public static BridgeTopology CreateL2(int guestCount, string hint = "l2") =>
        Create(guestCount, role => NetworkNamespace.Create(hint + role), l2: true);

    /// <summary>
    /// Builds the topology in namespaces named exactly <paramref name="prefix"/> + role: <c>host</c>,
    /// <c>ext</c>, <c>g1</c>, <c>g2</c>, … (e.g. <c>bwo-demo-host</c>); fails, changing nothing, if any name is taken.
    /// </summary>
    public static BridgeTopology CreateNamed(int guestCount, string prefix, bool l2 = false)
    {
        var taken = NamesFor(guestCount, prefix).Where(NetworkNamespace.Exists).ToList();
        if (taken.Count > 0)
        {
            throw new InvalidOperationException($"network namespace(s) {string.Join(", ", taken)} exist already (a demo running, or one that was killed: remove them with 'ip netns del NAME')");
        }

        return Create(guestCount, role => NetworkNamespace.CreateNamed(prefix + role switch { "h" => "host", "x" => "ext", _ => role }), l2);
    }

    /// <summary>The namespace names <see cref="CreateNamed"/> uses.</summary>
    public static IReadOnlyList<string> NamesFor(int guestCount, string prefix) =>
        [prefix + "host", prefix + "ext", .. Enumerable.Range(1, guestCount).Select(i => prefix + "g" + i.ToString(CultureInfo.InvariantCulture))];

    private static BridgeTopology Create(int guestCount, Func<string, NetworkNamespace> createNamespace, bool l2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(guestCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(guestCount, MaxGuests);
        var all = new List<NetworkNamespace>();
        try
        {
            var host = createNamespace("h");
            all.Add(host);
            var external = createNamespace("x");
            all.Add(external);
            var guests = new List<BridgeGuest>();
            for (var i = 1; i <= guestCount; i++)
            {
                var ns = createNamespace("g" + i.ToString(CultureInfo.InvariantCulture));
                all.Add(ns);
                guests.Add(new BridgeGuest(
                    i,
                    ns,
                    "vg" + i.ToString(CultureInfo.InvariantCulture),
                    GuestMac(i),
                    IPAddress.Parse("10.77.0." + (10 + i).ToString(CultureInfo.InvariantCulture)),
                    IPAddress.Parse("fd77::" + (10 + i).ToString(CultureInfo.InvariantCulture))));
            }

            // Sysctls first, so devices made afterwards inherit the defaults (no DAD, no bridge netfilter).
            host.Sysctl(
                "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.forwarding=1",
                "net.ipv6.conf.default.forwarding=1",
                "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0",
                "net.bridge.bridge-nf-call-iptables=0",
                "net.bridge.bridge-nf-call-ip6tables=0",
                "net.bridge.bridge-nf-call-arptables=0");

            var hostCommands = new List<string>
            {
                $"link add {BridgeName} type bridge stp_state 0 forward_delay 0 mcast_snooping 0",
                $"addr add {BridgeIPv4}/24 dev {BridgeName}",
                $"addr add {BridgeIPv6}/64 dev {BridgeName} nodad",
            };
            foreach (var g in guests)
            {
                hostCommands.Add($"link add {g.HostPort} type veth peer name {BridgeGuest.Device} address {g.Mac} netns {g.Namespace.Name}");
                hostCommands.Add($"link set {g.HostPort} master {BridgeName} up");
            }

            hostCommands.Add($"link set {BridgeName} up");
            if (l2)
            {
                hostCommands.Add($"link add {UplinkPort} type veth peer name {ExternalDevice} address {ExternalMac} netns {external.Name}");
                hostCommands.Add($"link set {UplinkPort} master {BridgeName} up");
                host.IpBatch(hostCommands);
                external.Sysctl("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
                external.IpBatch(
                [
                    $"link set {ExternalDevice} up",
                    $"addr add {L2ExternalIPv4}/24 dev {ExternalDevice}",
                    $"addr add {L2ExternalIPv6}/64 dev {ExternalDevice} nodad",
                ]);
            }
            else
            {
                hostCommands.Add($"link add {ExternalHostPort} type veth peer name {ExternalDevice} netns {external.Name}");
                hostCommands.Add($"addr add {ExternalHostIPv4}/24 dev {ExternalHostPort}");
                hostCommands.Add($"addr add {ExternalHostIPv6}/64 dev {ExternalHostPort} nodad");
                hostCommands.Add($"link set {ExternalHostPort} up");
                host.IpBatch(hostCommands);

                external.IpBatch(
                [
                    $"link set {ExternalDevice} up",
                    $"addr add {ExternalIPv4}/24 dev {ExternalDevice}",
                    $"addr add {ExternalIPv6}/64 dev {ExternalDevice} nodad",
                    $"route add 10.77.0.0/24 via {ExternalHostIPv4}",
                    $"route add fd77::/64 via {ExternalHostIPv6}",
                ]);
            }

            foreach (var g in guests)
            {
                g.Namespace.IpBatch(
                [
                    $"link set {BridgeGuest.Device} up",
                    $"addr add {g.IPv4}/24 dev {BridgeGuest.Device}",
                    $"addr add {g.IPv6}/64 dev {BridgeGuest.Device} nodad",
                    $"route add default via {BridgeIPv4}",
                    $"route add default via {BridgeIPv6}",
                ]);
            }

            return new BridgeTopology(host, external, guests, all, l2);
        }
        catch
        {
            foreach (var ns in all)
            {
                ns.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// A guest that appears after the topology was built (a VM that starts later): a new namespace, a veth
    /// pair whose host side <c>vg{index}</c> is enslaved to br0 and set up last, the guest side configured
    /// like the others. Its namespace is removed with the topology.
    /// </summary>
    public BridgeGuest AddGuest(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxGuests);
        var n = index.ToString(CultureInfo.InvariantCulture);
        var ns = NetworkNamespace.Create("late" + n);
        _namespaces.Add(ns);
        var guest = new BridgeGuest(index, ns, "vg" + n, GuestMac(index), IPAddress.Parse("10.77.0." + (10 + index).ToString(CultureInfo.InvariantCulture)), IPAddress.Parse("fd77::" + (10 + index).ToString(CultureInfo.InvariantCulture)));
        ns.Sysctl("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        Host.IpBatch([$"link add {guest.HostPort} type veth peer name {BridgeGuest.Device} address {guest.Mac} netns {ns.Name}"]);
        ns.IpBatch(
        [
            $"link set {BridgeGuest.Device} up",
            $"addr add {guest.IPv4}/24 dev {BridgeGuest.Device}",
            $"addr add {guest.IPv6}/64 dev {BridgeGuest.Device} nodad",
            $"route add default via {BridgeIPv4}",
            $"route add default via {BridgeIPv6}",
        ]);
        Host.IpBatch([$"link set {guest.HostPort} master {BridgeName} up"]);
        return guest;
    }

    /// <summary>
    /// Caps what the external namespace sends (TBF on its <c>eth0</c> egress), to make the path
    /// before the bridge the bottleneck. Not needed when the bridge's HTB root class is slower.
    /// </summary>
    public void CapExternalLink(BitRate rate)
    {
        External.Tc("qdisc", "replace", "dev", ExternalDevice, "root", "tbf", "rate", rate.ToTcString(), "burst", "64kb", "latency", "20ms");
    }

    /// <summary>Removes a cap set by <see cref="CapExternalLink"/>.</summary>
    public void UncapExternalLink() => External.TryExec("tc", "qdisc", "del", "dev", ExternalDevice, "root");

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Removing a namespace removes its devices; guests first, then the host holding the bridge.
        for (var i = _namespaces.Count - 1; i >= 0; i--)
        {
            _namespaces[i].Dispose();
        }
    }
}
