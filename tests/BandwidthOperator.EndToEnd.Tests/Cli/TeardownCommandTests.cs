using BandwidthOperator.Lab.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// `teardown`: a node cleaned by hand when its agent is gone. Everything of ours goes — the trees on the
/// bridges' IFB devices, the clsact hooks on the guest ports, the IFB devices themselves, and the previous
/// layout's objects — and nothing foreign is touched.
/// Read back with iproute2.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class TeardownCommandTests : IDisposable
{
    private const string Other = "bwx0";
    private readonly CliFixture _f = new(3, "td");

    private BridgeGuest A => _f.Topology.Guests[0];

    private BridgeGuest B => _f.Topology.Guests[1];

    private BridgeGuest C => _f.Topology.Guests[2];

    public void Dispose() => _f.Dispose();

    [RootFact]
    public void Teardown_removes_every_tree_port_limit_and_IFB_of_ours_and_leaves_foreign_qdiscs()
    {
        // Foreign: a root qdisc on guest C's port and an ingress qdisc without filters on the external link.
        _f.Topology.Host.Tc("qdisc", "add", "dev", C.HostPort, "root", "handle", "7:", "tbf", "rate", "10mbit", "burst", "10kb", "latency", "50ms");
        _f.Topology.Host.Tc("qdisc", "add", "dev", BridgeTopology.ExternalHostPort, "ingress");
        var apply = _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", A.Mac, floor: "20M", inAverage: "50M", outAverage: "20M", device: A.HostPort)
            .Interface("vm-b", "tenant-net", B.Mac, floor: "30M"));
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var inTree = _f.Tree;
        var outTree = _f.Topology.TreeDevice("out");
        _f.Qdiscs(inTree).ShouldContain("qdisc htb 1: root");
        _f.Qdiscs(outTree).ShouldContain("qdisc htb 1: root");
        _f.Qdiscs(A.HostPort).ShouldContain("clsact");

        var dry = _f.Run("teardown", "--dry-run");
        dry.ExitCode.ShouldBe(2, dry.ToString());
        _f.Qdiscs(inTree).ShouldContain("qdisc htb 1: root", customMessage: "--dry-run changes nothing");

        var run = _f.Run("teardown");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("nothing of ours is left");
        _f.Topology.Host.Ip("-o", "link", "show", "type", "ifb").ShouldNotContain("bwin");
        _f.Topology.Host.Ip("-o", "link", "show", "type", "ifb").ShouldNotContain("bwout");
        _f.Qdiscs(A.HostPort).ShouldNotContain("clsact");
        _f.Qdiscs(B.HostPort).ShouldNotContain("clsact");
        _f.Qdiscs(BridgeTopology.BridgeName).ShouldNotContain("htb");
        _f.Qdiscs(C.HostPort).ShouldContain("qdisc tbf 7: root", customMessage: "a foreign qdisc on a port stays");
        _f.Qdiscs(BridgeTopology.ExternalHostPort).ShouldContain("qdisc ingress ffff:", customMessage: "a foreign ingress qdisc stays");
        _f.Run("teardown").Stdout.ShouldContain("nothing of ours on this node");
    }

    [RootFact]
    public void Teardown_of_one_bridge_leaves_the_other_bridges_trees()
    {
        _f.Topology.Host.Ip("link", "add", Other, "type", "bridge");
        _f.Topology.Host.Ip("link", "set", Other, "up");
        _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Network("other-net", Other, "50M")
            .Interface("vm-a", "tenant-net", A.Mac, floor: "20M")).ExitCode.ShouldBe(0);
        var otherIndex = _f.Topology.Host.Ip("-o", "link", "show", Other).Split(':')[0].Trim();
        var otherTree = "bwin" + otherIndex;
        _f.Qdiscs(otherTree).ShouldContain("qdisc htb 1: root");

        var run = _f.Run("teardown", "--bridge", Other);

        run.ExitCode.ShouldBe(0, run.ToString());
        _f.Topology.Host.Ip("-o", "link", "show", "type", "ifb").ShouldNotContain(otherTree);
        _f.Qdiscs().ShouldContain("qdisc htb 1: root", customMessage: "br0's inbound tree stays");
        _f.Classes().ShouldContain("class htb 1:3 ");
        _f.Qdiscs(A.HostPort).ShouldContain("clsact", customMessage: "br0's ports keep their hooks");
        _f.Run("teardown", "--bridge", "nope0").ExitCode.ShouldBe(1);
    }

    [RootFact]
    public void Teardown_removes_the_limits_of_a_network_without_a_floor_capacity()
    {
        _f.Apply(new ManifestBuilder()
            .Network("limits-only", BridgeTopology.BridgeName, average: null)
            .Interface("vm-a", "limits-only", A.Mac, inAverage: "50M", device: A.HostPort)).ExitCode.ShouldBe(0);
        _f.Classes().ShouldContain("ceil 50Mbit");
        _f.Qdiscs(A.HostPort).ShouldContain("clsact");

        _f.Run("teardown").ExitCode.ShouldBe(0);

        _f.Topology.Host.Ip("-o", "link", "show", "type", "ifb").ShouldNotContain("bwin");
        _f.Qdiscs(A.HostPort).ShouldNotContain("clsact");
    }

    [RootFact]
    public void Teardown_removes_the_previous_layouts_objects()
    {
        // The previous layout, built by hand as its version did: the tree on the bridge, a TBF b0: on a port
        // and a bwi<ifindex> IFB fed from the port's ingress.
        var host = _f.Topology.Host;
        host.Tc("qdisc", "add", "dev", BridgeTopology.BridgeName, "root", "handle", "1:", "htb", "default", "2", "r2q", "2026");
        host.Tc("qdisc", "add", "dev", A.HostPort, "root", "handle", "b0:", "tbf", "rate", "50mbit", "burst", "64kb", "latency", "50ms");
        var portIndex = host.Ip("-o", "link", "show", A.HostPort).Split(':')[0].Trim();
        host.Ip("link", "add", "bwi" + portIndex, "type", "ifb");

        _f.Run("teardown").ExitCode.ShouldBe(0);

        _f.Qdiscs(BridgeTopology.BridgeName).ShouldNotContain("htb");
        _f.Qdiscs(A.HostPort).ShouldNotContain("tbf");
        host.Ip("-o", "link", "show", "type", "ifb").ShouldNotContain("bwi" + portIndex);
    }
}
