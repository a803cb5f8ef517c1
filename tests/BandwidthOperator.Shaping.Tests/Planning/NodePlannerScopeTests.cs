using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary><see cref="NodeRequest.ScopeBridges"/>: the agent plans one bridge per work-queue key.</summary>
public sealed class NodePlannerScopeTests
{
    private const string Node = "node-a";

    private static BridgeNetwork Net(string name, string bridge) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = 1 },
        Spec = new BridgeNetworkSpec { Bridge = bridge, Inbound = new NetworkBandwidth { Average = "1G" } },
    };

    private static InterfaceBandwidth Ibw(string name, string network, string mac) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "t", Generation = 1 },
        Spec = new InterfaceBandwidthSpec { Network = network, NodeName = Node, MacAddress = mac, Inbound = new InterfaceInbound { Floor = "10M" } },
    };

    /// <summary>Bridges br-a (port pa, MAC …:01) and br-b (port pb, MAC …:02).</summary>
    private static FakeKernel Kernel()
    {
        var k = FakeKernel.WithBridge("br-a").Port("br-a", "pa", 7, "52:54:00:00:00:01");
        k.Devices["br-b"] = new DeviceFacts("br-b", 3, true, null);
        k.Fdb["br-b"] = [];
        return k.Port("br-b", "pb", 8, "52:54:00:00:00:02");
    }

    private static HashSet<string> Scope(params string[] bridges) => bridges.ToHashSet(StringComparer.Ordinal);

    private static readonly BridgeNetwork[] Networks = [Net("net-a", "br-a"), Net("net-b", "br-b")];

    private static readonly InterfaceBandwidth[] Interfaces = [Ibw("vm-a", "net-a", "52:54:00:00:00:01"), Ibw("vm-b", "net-b", "52:54:00:00:00:02")];

    private static HashSet<string> DevicesOf(FakeKernel k, string bridge)
    {
        var index = k.Devices[bridge].IfIndex;
        return k.Devices.Values.Where(d => d.Name == bridge || d.Master == bridge || Shaping.Trees.ShapingTree.ParseIfb(d.Name)?.BridgeIndex == index)
            .Select(d => d.Name)
            .Append(Shaping.Trees.ShapingTree.IfbName(Shaping.Trees.Direction.Inbound, index))
            .Append(Shaping.Trees.ShapingTree.IfbName(Shaping.Trees.Direction.Outbound, index))
            .ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void A_scoped_plan_plans_and_reports_only_its_bridge()
    {
        var kernel = Kernel();
        var plan = NodePlanner.Plan(new NodeRequest(Node, Networks, Interfaces) { ScopeBridges = Scope("br-a") }, kernel.Facts());

        plan.Bridges.Select(b => b.Bridge).ShouldBe(["br-a"]);
        plan.Interfaces.Select(i => i.Ref.Name).ShouldBe(["vm-a"]);
        kernel.Apply(plan.Operations);
        plan.Operations.ShouldNotBeEmpty();
        plan.Operations.Select(o => o.Target.Device).ShouldAllBe(d => DevicesOf(kernel, "br-a").Contains(d));

        // The whole node (no scope) plans both; br-a is already right.
        var whole = NodePlanner.Plan(new NodeRequest(Node, Networks, Interfaces), kernel.Facts());
        whole.Bridges.Select(b => b.Bridge).ShouldBe(["br-a", "br-b"]);
        whole.Operations.Select(o => o.Target.Device).ShouldAllBe(d => DevicesOf(kernel, "br-b").Contains(d));
    }

    [Fact]
    public void A_scoped_bridge_no_network_names_loses_our_objects_and_other_bridges_keep_theirs()
    {
        var kernel = Kernel();
        kernel.Apply(NodePlanner.Plan(new NodeRequest(Node, Networks, Interfaces), kernel.Facts()).Operations);
        var onA = DevicesOf(kernel, "br-a");
        var aObjects = kernel.Objects.Where(o => onA.Contains(o.Device)).ToList();
        aObjects.ShouldNotBeEmpty();

        // net-a and net-b are both gone; the pass of br-b prunes br-b alone.
        var prune = NodePlanner.Plan(new NodeRequest(Node, [], []) { ScopeBridges = Scope("br-b") }, kernel.Facts());
        kernel.Apply(prune.Operations);

        prune.Operations.ShouldNotBeEmpty();
        kernel.Objects.Where(o => DevicesOf(kernel, "br-b").Contains(o.Device)).ShouldBeEmpty();
        kernel.Objects.Where(o => onA.Contains(o.Device)).ShouldBe(aObjects, ignoreOrder: true);
    }

    [Fact]
    public void Network_issues_and_refusals_of_other_bridges_are_not_reported()
    {
        var taken = Net("net-z", "br-b");
        var plan = NodePlanner.Plan(
            new NodeRequest(Node, [.. Networks, taken], [.. Interfaces, Ibw("vm-z", "net-z", "52:54:00:00:00:09"), Ibw("vm-x", "missing", "52:54:00:00:00:0a")]) { ScopeBridges = Scope("br-a") },
            Kernel().Facts());

        plan.NetworkIssues.ShouldBeEmpty("net-z's bridge br-b is another pass's business");
        plan.Interfaces.Select(i => i.Ref.Name).ShouldBe(["vm-a", "vm-x"], "an unknown network belongs to no bridge: the caller passed it, it is reported");

        var b = NodePlanner.Plan(new NodeRequest(Node, [.. Networks, taken], [Ibw("vm-z", "net-z", "52:54:00:00:00:09")]) { ScopeBridges = Scope("br-b") }, Kernel().Facts());
        b.NetworkIssues.ShouldHaveSingleItem().ShouldContain("bridge br-b is already managed by BridgeNetwork net-b");
        b.Interfaces.ShouldHaveSingleItem().Admitted.Reason.ShouldBe("BridgeInUse");
    }
}
