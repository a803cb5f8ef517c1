using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

public class NodePlannerTests
{
    private const string Node = "node-a";
    private const string Bridge = "br-tenant";
    private const string Mac1 = "52:54:00:6b:3c:01";
    private const string Mac2 = "52:54:00:6b:3c:02";
    private const string Mac3 = "52:54:00:6b:3c:03";

    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static BridgeNetwork Net(string? average = "10G", string name = "tenant-net", string bridge = Bridge) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = 1 },
        Spec = new BridgeNetworkSpec { Bridge = bridge, Inbound = average is null ? null : new NetworkBandwidth { Average = average } },
    };

    private static InterfaceBandwidth Ibw(
        string name,
        string mac,
        string? floor = null,
        string? inAverage = null,
        string? outAverage = null,
        int minutes = 0,
        int? classId = null,
        string network = "tenant-net",
        string ns = "tenant-a",
        string? device = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = T0.AddMinutes(minutes), Generation = 1 },
            Spec = new InterfaceBandwidthSpec
            {
                Network = network,
                NodeName = Node,
                MacAddress = mac,
                Device = device,
                Inbound = floor is null && inAverage is null ? null : new InterfaceInbound { Floor = floor, Average = inAverage },
                Outbound = outAverage is null ? null : new InterfaceOutbound { Average = outAverage },
            },
            Status = classId is null ? null : new InterfaceBandwidthStatus { ClassId = classId },
        };

    private static FakeKernel Kernel() => FakeKernel.WithBridge()
        .Port(Bridge, "vnet3", 7, Mac1)
        .Port(Bridge, "vnet4", 8, Mac2)
        .Port(Bridge, "vnet5", 9, Mac3);

    private static NodePlan Plan(FakeKernel kernel, IReadOnlyList<BridgeNetwork> networks, IReadOnlyList<InterfaceBandwidth> interfaces, IReadOnlyDictionary<string, string>? nodeLabels = null, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? nsLabels = null) =>
        NodePlanner.Plan(new NodeRequest(Node, networks, interfaces, nodeLabels, nsLabels), kernel.Facts());

    private static InterfaceOutcome Outcome(NodePlan plan, string name) => plan.Interfaces.Single(i => i.Ref.Name == name);

    private static string[] Lines(NodePlan plan) => plan.Operations.Select(o => o.ToString()).ToArray();

    private static (FakeKernel Kernel, NodePlan First) Applied(IReadOnlyList<BridgeNetwork> networks, IReadOnlyList<InterfaceBandwidth> interfaces)
    {
        var kernel = Kernel();
        var plan = Plan(kernel, networks, interfaces);
        kernel.Apply(plan.Operations);
        return (kernel, plan);
    }

    [Fact]
    public void First_plan_builds_the_tree_and_admits_floors()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, floor: "1G", minutes: 0), Ibw("b", Mac2, floor: "2G", minutes: 1)]);

        var a = Outcome(plan, "a");
        a.ClassId.ShouldBe((ushort)3);
        a.AppliedFloor.ShouldBe(BitRate.Parse("1G"));
        a.Bridge.ShouldBe(Bridge);
        a.Admitted.ShouldBe(new ConditionOutcome(true, ConditionReasons.FloorAdmitted, "floor 1G admitted as class 1:3 on bridge br-tenant"));
        a.Ready.ShouldBe(new ConditionOutcome(true, ConditionReasons.Applied, "applied"));
        Outcome(plan, "b").ClassId.ShouldBe((ushort)4);

        var bridge = plan.Bridges.Single();
        bridge.Ready.ShouldBeTrue();
        bridge.FloorSum.ShouldBe(BitRate.Parse("3G"));
        bridge.Interfaces.ShouldBe(2);
        bridge.LeafQdisc.ShouldBe("pfifo");
        bridge.Capacity.ShouldBe(BitRate.Parse("10G"));

        plan.Operations.ShouldAllBe(o => o.Verb == TcVerb.Add);
        // The inbound tree on the bridge's IFB (bwin + the bridge's ifindex): 1:2 gets what the floors and the small-packet class leave.
        Lines(plan).ShouldContain("tc class add dev bwin2 parent 1:1 classid 1:2 htb rate 6900mbit ceil 10gbit burst 1725000b cburst 2500000b quantum 200000 prio 1");
        Lines(plan).ShouldContain("tc class add dev bwin2 parent 1:1 classid 1:ffff htb rate 100mbit ceil 10gbit burst 25000b cburst 2500000b quantum 12500 prio 0");
        Lines(plan).ShouldContain("tc qdisc add dev bwin2 parent 1:3 handle 3: pfifo limit 1000");
        // Every guest port is hooked into it; nothing is put on the bridge device itself.
        Lines(plan).ShouldContain("tc qdisc add dev vnet3 clsact");
        Lines(plan).ShouldContain("tc filter add dev vnet5 parent ffff:fff3 prio 1 protocol all u32 match u32 0x00000000 0x00000000 at 0 action mirred egress redirect dev bwin2");
        plan.Operations.ShouldNotContain(o => o.Target.Device == Bridge);
        plan.Operations.ShouldNotContain(o => o.Target.Device.StartsWith("bwout", StringComparison.Ordinal));
        plan.Operations.Count.ShouldBe(22);
        bridge.Ports.Select(p => (p.Name, p.Role, p.Hooked)).ShouldBe([("vnet3", Ports.PortRole.Guest, true), ("vnet4", Ports.PortRole.Guest, true), ("vnet5", Ports.PortRole.Guest, true)]);
    }

    [Fact]
    public void Plan_is_idempotent_once_applied()
    {
        var networks = new[] { Net() };
        var interfaces = new[]
        {
            Ibw("a", Mac1, floor: "1G", inAverage: "2G", outAverage: "1G"),
            Ibw("b", Mac2, floor: "2G", minutes: 1),
            Ibw("c", Mac3, inAverage: "500M", minutes: 2),
        };
        var (kernel, first) = Applied(networks, interfaces);
        first.Operations.ShouldNotBeEmpty();

        var second = Plan(kernel, networks, interfaces);

        second.Operations.ShouldBeEmpty(string.Join("\n", Lines(second)));
        second.IsEmpty.ShouldBeTrue();
        second.Interfaces.Select(i => i.ClassId).ShouldBe(first.Interfaces.Select(i => i.ClassId));
    }

    [Fact]
    public void Floor_change_touches_only_that_class_and_the_default_class()
    {
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "2G", minutes: 1)]);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "3G", minutes: 1)]);

        plan.Operations.Count.ShouldBe(2);
        plan.Operations.ShouldAllBe(o => o.Verb == TcVerb.Change);
        plan.Operations.Select(o => ((HtbClass)o.Target).Handle.ToString()).ShouldBe(["1:2", "1:4"], ignoreOrder: true);
        plan.Operations.Select(o => ((HtbClass)o.Target).Rate).ShouldBe([BitRate.Parse("5.9G"), BitRate.Parse("3G")], ignoreOrder: true);
        Outcome(plan, "b").ClassId.ShouldBe((ushort)4);
    }

    [Fact]
    public void Removed_interface_loses_its_class_and_filter()
    {
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "2G", minutes: 1)]);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G")]);

        Lines(plan).ShouldBe(
        [
            "tc filter del dev bwin2 parent 1: prio 1 handle 1:2:5 protocol all u32",
            "tc class del dev bwin2 parent 1:1 classid 1:4",
            "tc class change dev bwin2 parent 1:1 classid 1:2 htb rate 8900mbit ceil 10gbit burst 2225000b cburst 2500000b quantum 200000 prio 1",
        ]);
        kernel.Apply(plan.Operations);
        Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G")]).Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Removed_limits_lose_their_classes_and_the_outbound_tree_that_only_they_needed()
    {
        var (kernel, first) = Applied([Net()], [Ibw("a", Mac1, inAverage: "1G", outAverage: "1G")]);
        Outcome(first, "a").ClassId.ShouldBe((ushort)3);
        Outcome(first, "a").OutboundClassId.ShouldBe((ushort)3);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1)]);

        var lines = Lines(plan);
        lines.ShouldContain("tc class del dev bwin2 parent 1:1 classid 1:3");
        lines.ShouldContain("ip link del bwout2");
        lines.ShouldContain(l => l.StartsWith("tc filter del dev vnet3 parent ffff:fff2", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains("dev vnet3 clsact", StringComparison.Ordinal));
        Outcome(plan, "a").ClassId.ShouldBeNull();
        kernel.Apply(plan.Operations);
        Plan(kernel, [Net()], [Ibw("a", Mac1)]).Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Class_id_is_adopted_from_the_kernel_filter_when_status_has_none()
    {
        var (kernel, first) = Applied([Net()], [Ibw("a", Mac1, floor: "1G", classId: 9)]);
        Outcome(first, "a").ClassId.ShouldBe((ushort)9);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "1G", minutes: -5)]);

        Outcome(plan, "a").ClassId.ShouldBe((ushort)9);
        Outcome(plan, "b").ClassId.ShouldBe((ushort)3);
        plan.Operations.ShouldNotContain(o => o.Target is HtbClass && ((HtbClass)o.Target).Handle.Minor == 9);
    }

    [Fact]
    public void Status_class_ids_are_kept()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, floor: "1G", classId: 0x2A), Ibw("b", Mac2, floor: "1G", minutes: 1)]);

        Outcome(plan, "a").ClassId.ShouldBe((ushort)0x2A);
        Outcome(plan, "b").ClassId.ShouldBe((ushort)3);
        Lines(plan).ShouldContain(l => l.StartsWith("tc class add dev bwin2 parent 1:1 classid 1:2a htb rate 1gbit", StringComparison.Ordinal));
        Lines(plan).ShouldContain(l => l.EndsWith("flowid 1:2a", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_class_id_wins_over_the_kernel_filter_of_another_interface()
    {
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, floor: "1G")]);

        // b says in its status it holds class 3; a has lost its status and its kernel class 3 is taken.
        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "1G", classId: 3)]);

        Outcome(plan, "b").ClassId.ShouldBe((ushort)3);
        Outcome(plan, "a").ClassId.ShouldBe((ushort)4);
    }

    [Fact]
    public void Duplicate_mac_goes_to_the_older_claim()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("young", Mac1, floor: "1G", minutes: 5), Ibw("old", Mac1, floor: "1G", minutes: 1)]);

        Outcome(plan, "old").ClassId.ShouldBe((ushort)3);
        var young = Outcome(plan, "young");
        young.ClassId.ShouldBeNull();
        young.Admitted.Status.ShouldBeFalse();
        young.Admitted.Reason.ShouldBe(ConditionReasons.DuplicateMac);
        young.Ready.Reason.ShouldBe(ConditionReasons.DuplicateMac);
        young.Admitted.Message.ShouldBe("InterfaceBandwidth tenant-a/young: spec.macAddress 52:54:00:6b:3c:01 is already claimed on bridge br-tenant on node node-a by InterfaceBandwidth tenant-a/old");
        plan.Bridges.Single().Interfaces.ShouldBe(1);
        plan.Operations.OfType<TcOperation>().Count(o => o.Target is U32Filter { FlowId: { Minor: 3 } }).ShouldBe(1);
    }

    [Fact]
    public void Duplicate_mac_stays_with_the_incumbent_even_when_a_newcomer_is_older()
    {
        var (kernel, _) = Applied([Net()], [Ibw("incumbent", Mac1, floor: "1G", minutes: 5, classId: 3)]);

        var plan = Plan(kernel, [Net()], [Ibw("incumbent", Mac1, floor: "1G", minutes: 5, classId: 3), Ibw("older", Mac1, floor: "1G", minutes: 1)]);

        Outcome(plan, "incumbent").ClassId.ShouldBe((ushort)3);
        Outcome(plan, "older").Admitted.Reason.ShouldBe(ConditionReasons.DuplicateMac);
        plan.Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Same_mac_on_two_networks_is_not_a_duplicate()
    {
        var kernel = Kernel();
        kernel.Devices["br-other"] = new DeviceFacts("br-other", 3, true, null);
        var plan = NodePlanner.Plan(
            new NodeRequest(Node, [Net(), Net(name: "other-net", bridge: "br-other")], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac1, floor: "1G", network: "other-net")]),
            kernel.Facts());
        plan.Interfaces.ShouldAllBe(i => i.Admitted.Reason == ConditionReasons.FloorAdmitted);
        plan.Interfaces.ShouldAllBe(i => i.ClassId == 3);
    }

    [Fact]
    public void Unknown_network_is_refused_without_operations()
    {
        var plan = Plan(Kernel(), [], [Ibw("a", Mac1, floor: "1G", network: "nope")]);
        var a = Outcome(plan, "a");
        a.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.UnknownNetwork, "InterfaceBandwidth tenant-a/a: spec.network: BridgeNetwork nope does not exist"));
        a.Ready.Reason.ShouldBe(ConditionReasons.UnknownNetwork);
        plan.Operations.ShouldBeEmpty();
        plan.Bridges.ShouldBeEmpty();
    }

    [Fact]
    public void Invalid_network_is_reported_and_its_interfaces_refused()
    {
        var plan = Plan(Kernel(), [Net(bridge: "br/tenant")], [Ibw("a", Mac1, floor: "1G")]);
        plan.NetworkIssues.Single().ShouldStartWith("BridgeNetwork tenant-net is invalid: spec.bridge: ");
        var a = Outcome(plan, "a");
        a.Admitted.Reason.ShouldBe(ConditionReasons.InvalidNetwork);
        a.Admitted.Message.ShouldContain("spec.bridge");
        plan.Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Invalid_interface_is_refused_naming_the_field()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", "01:00:5e:00:00:01", floor: "1G")]);
        var a = Outcome(plan, "a");
        a.Admitted.Reason.ShouldBe(ConditionReasons.InvalidSpec);
        a.Admitted.Message.ShouldStartWith("InterfaceBandwidth tenant-a/a is invalid: spec.macAddress: ");
        Lines(plan).ShouldNotContain(l => l.Contains("flowid 1:3", StringComparison.Ordinal));
    }

    [Fact]
    public void Interfaces_of_other_nodes_are_ignored()
    {
        var other = Ibw("a", Mac1, floor: "1G");
        other.Spec.NodeName = "node-b";
        var plan = Plan(Kernel(), [Net()], [other]);
        plan.Interfaces.ShouldBeEmpty();
        plan.Bridges.Single().Interfaces.ShouldBe(0);
    }

    [Fact]
    public void Missing_bridge_gives_no_operations_for_that_bridge()
    {
        var kernel = Kernel();
        kernel.Devices.Remove(Bridge);
        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G", inAverage: "2G")]);

        plan.Operations.ShouldBeEmpty();
        var a = Outcome(plan, "a");
        a.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.BridgeMissing, "bridge br-tenant of BridgeNetwork tenant-net does not exist on node node-a"));
        a.Ready.Reason.ShouldBe(ConditionReasons.BridgeMissing);
        a.Bridge.ShouldBe(Bridge);
        plan.Bridges.Single().Ready.ShouldBeFalse();
    }

    [Theory]
    [InlineData("prio")]
    [InlineData("htb")]
    public void Foreign_root_qdisc_on_the_bridge_is_left_alone_and_floors_still_apply(string kind)
    {
        // The trees live on IFBs fed by the guest ports: the bridge's own root qdisc is not ours to need.
        QdiscOptions options = kind == "htb" ? new HtbQdiscOptions(2) : new OtherQdiscOptions(kind);
        var kernel = Kernel().Add(new Qdisc(Bridge, TcHandle.Of(1, 0), TcHandle.Root, options));

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, minutes: 1)]);

        plan.Operations.ShouldNotContain(o => o.Target.Device == Bridge);
        var a = Outcome(plan, "a");
        a.Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        a.Ready.Status.ShouldBeTrue();
        a.ClassId.ShouldBe((ushort)3);
        plan.Bridges.Single().Ready.ShouldBeTrue();
    }

    [Fact]
    public void Kernel_default_root_qdisc_is_not_foreign()
    {
        var kernel = Kernel().Add(new Qdisc(Bridge, TcHandle.Of(0, 0), TcHandle.Root, new OtherQdiscOptions("noqueue")));
        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G")]);
        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        plan.Operations.Count.ShouldBe(19);
    }

    [Fact]
    public void Floor_without_network_average_is_not_admitted()
    {
        var plan = Plan(Kernel(), [Net(average: null)], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, minutes: 1)]);

        var a = Outcome(plan, "a");
        a.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.FloorNeedsNetworkAverage, "InterfaceBandwidth tenant-a/a: spec.inbound.floor: BridgeNetwork tenant-net has no spec.inbound.average to carve floors from"));
        a.Ready.Status.ShouldBeTrue();
        Outcome(plan, "b").Admitted.ShouldBe(new ConditionOutcome(true, ConditionReasons.NoFloor, "no floor requested; inbound traffic shares the default class"));
        plan.Operations.ShouldBeEmpty();
        plan.Bridges.Single().Message.ShouldContain("no inbound.average");
    }

    [Fact]
    public void Third_floor_that_does_not_fit_is_overcommitted()
    {
        var plan = Plan(Kernel(), [Net(average: "1G")], [Ibw("a", Mac1, floor: "400M"), Ibw("b", Mac2, floor: "400M", minutes: 1), Ibw("c", Mac3, floor: "400M", minutes: 2)]);

        Outcome(plan, "a").Admitted.Status.ShouldBeTrue();
        Outcome(plan, "b").Admitted.Status.ShouldBeTrue();
        var c = Outcome(plan, "c");
        c.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.FloorOvercommitted, "floor 400M does not fit: 200M of tenant-net's 1G inbound average is left on node-a"));
        c.ClassId.ShouldBeNull();
        c.AppliedFloor.ShouldBeNull();
        c.Ready.Status.ShouldBeTrue();
        plan.Bridges.Single().FloorSum.ShouldBe(BitRate.Parse("800M"));
        plan.Operations.Count(o => o.Target is HtbClass).ShouldBe(5);
    }

    [Fact]
    public void Older_newcomer_does_not_displace_an_applied_floor()
    {
        var (kernel, _) = Applied([Net(average: "1G")], [Ibw("young", Mac1, floor: "800M", minutes: 10)]);

        var plan = Plan(kernel, [Net(average: "1G")], [Ibw("young", Mac1, floor: "800M", minutes: 10), Ibw("old", Mac2, floor: "500M", minutes: 0)]);

        Outcome(plan, "young").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        Outcome(plan, "old").Admitted.Reason.ShouldBe(ConditionReasons.FloorOvercommitted);
        plan.Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Raise_that_does_not_fit_keeps_the_applied_floor()
    {
        var (kernel, _) = Applied([Net(average: "1G")], [Ibw("a", Mac1, floor: "300M"), Ibw("b", Mac2, floor: "500M", minutes: 1)]);

        var plan = Plan(kernel, [Net(average: "1G")], [Ibw("a", Mac1, floor: "600M"), Ibw("b", Mac2, floor: "500M", minutes: 1)]);

        var a = Outcome(plan, "a");
        a.AppliedFloor.ShouldBe(BitRate.Parse("300M"));
        a.ClassId.ShouldBe((ushort)3);
        a.Admitted.Status.ShouldBeFalse();
        a.Admitted.Reason.ShouldBe(ConditionReasons.FloorOvercommitted);
        a.Admitted.Message.ShouldContain("beyond the 300M already applied, which stays");
        plan.Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Limits_without_a_floor_get_a_capping_class_in_each_direction()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, inAverage: "2G", outAverage: "1G")]);

        var a = Outcome(plan, "a");
        a.Device.ShouldBe("vnet3");
        a.Ready.Status.ShouldBeTrue();
        a.Admitted.Reason.ShouldBe(ConditionReasons.NoFloor);
        a.ClassId.ShouldBe((ushort)3);
        a.OutboundClassId.ShouldBe((ushort)3);
        var lines = Lines(plan);
        // Shaped once per direction, in its class: rate a token 8 kbit/s, ceil its average.
        lines.ShouldContain("tc class add dev bwin2 parent 1:1 classid 1:3 htb rate 8kbit ceil 2gbit burst 6056b cburst 500000b quantum 1514 prio 1");
        lines.ShouldContain("tc class add dev bwout2 parent 1:1 classid 1:3 htb rate 8kbit ceil 1gbit burst 6056b cburst 250000b quantum 1514 prio 1");
        lines.ShouldContain("tc filter add dev bwout2 parent 1: prio 1 handle 1:1:4 protocol all u32 ht 1:1: match u32 0x5254006b 0xffffffff at -8 match u32 0x3c010000 0xffff0000 at -4 flowid 1:3");
        lines.ShouldContain("tc filter add dev vnet3 parent ffff:fff2 prio 2 protocol all u32 match u32 0x00000000 0x00000000 at 0 action mirred egress redirect dev bwout2");
        lines.ShouldNotContain(l => l.Contains("b0:", StringComparison.Ordinal) || l.Contains("bwi7", StringComparison.Ordinal));
    }

    [Fact]
    public void Peak_is_the_class_leaf_a_tbf_at_the_peak_rate()
    {
        var ibw = Ibw("a", Mac1, floor: "1G", inAverage: "2G");
        ibw.Spec.Inbound!.Peak = "4G";
        ibw.Spec.Inbound.Burst = "256Ki";
        var plan = Plan(Kernel(), [Net()], [ibw]);

        var lines = Lines(plan);
        lines.ShouldContain("tc class add dev bwin2 parent 1:1 classid 1:3 htb rate 1gbit ceil 2gbit burst 250000b cburst 262144b quantum 125000 prio 1");
        lines.ShouldContain("tc qdisc add dev bwin2 parent 1:3 handle 3: tbf rate 4gbit burst 9216b limit 25009216b");
    }

    /// <summary>The previous layout: the tree on the bridge itself, a TBF b0: on the port, its ingress redirected to bwi{ifindex}.</summary>
    private static FakeKernel WithPreviousLayout()
    {
        var kernel = Kernel();
        kernel.Devices["bwi7"] = new DeviceFacts("bwi7", 60, false, null, "ifb");
        var limits = new Api.Validation.BandwidthLimits(null, BitRate.Parse("2G"), null, null);
        kernel.Add([.. BridgeTree.Build(Bridge, BitRate.Parse("10G"), null, [new FloorClass(3, MacAddress.Parse(Mac1), BitRate.Parse("1G"), BitRate.Parse("2G")), new FloorClass(0x2A, MacAddress.Parse(Mac2), BitRate.Parse("2G"), BitRate.Parse("10G"))], NodePlanner.LeafOptions("pfifo"))]);
        kernel.Add([.. DeviceLimits.Build("vnet3", 7, limits, limits)]);
        return kernel;
    }

    [Fact]
    public void Upgrade_in_place_removes_the_previous_layout_and_keeps_every_class_id()
    {
        var kernel = WithPreviousLayout();
        // Statuses lost (or never written by the old version): IDs come from the old tree's MAC filters.
        var interfaces = new[] { Ibw("a", Mac1, floor: "1G", inAverage: "2G", outAverage: "2G"), Ibw("b", Mac2, floor: "2G", minutes: -5) };

        var plan = Plan(kernel, [Net()], interfaces);

        Outcome(plan, "a").ClassId.ShouldBe((ushort)3);
        Outcome(plan, "b").ClassId.ShouldBe((ushort)0x2A);
        var lines = Lines(plan);
        lines.ShouldContain("tc qdisc del dev br-tenant root handle 1:", string.Join("\n", lines));
        lines.Count(l => l == "tc qdisc del dev vnet3 root handle b0:").ShouldBe(1, string.Join("\n", lines));
        lines.ShouldContain("tc qdisc del dev vnet3 ingress");
        lines.ShouldContain("ip link del bwi7");
        lines.ShouldContain(l => l.StartsWith("tc class add dev bwin2 parent 1:1 classid 1:2a htb rate 2gbit", StringComparison.Ordinal));
        lines.ShouldContain("tc qdisc add dev vnet3 clsact");
        kernel.Apply(plan.Operations);

        kernel.Objects.ShouldNotContain(o => o.Device == Bridge || o.Device == "bwi7");
        kernel.Objects.OfType<Qdisc>().ShouldNotContain(q => q.Handle == DeviceLimits.TbfHandle);
        var again = Plan(kernel, [Net()], interfaces);
        again.Operations.ShouldBeEmpty(string.Join("\n", Lines(again)));
        Outcome(again, "b").ClassId.ShouldBe((ushort)0x2A);
    }

    [Fact]
    public void The_previous_layout_on_a_bridge_no_network_names_is_removed()
    {
        var kernel = WithPreviousLayout();
        var plan = Plan(kernel, [], []);
        kernel.Apply(plan.Operations);
        kernel.Objects.ShouldBeEmpty();
    }

    [Fact]
    public void A_capping_class_that_gets_a_floor_is_made_anew_with_its_leaf_and_filter()
    {
        // HTB keeps a class's token deficit across a change: a class that borrowed far beyond its 8 kbit/s
        // token rate would not get its new floor for up to a minute (seen in the demo: limits, then floors).
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, inAverage: "5G"), Ibw("b", Mac2, floor: "1G", minutes: 1)]);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "2G", inAverage: "5G"), Ibw("b", Mac2, floor: "1G", minutes: 1)]);

        Lines(plan).ShouldBe(
        [
            "tc filter del dev bwin2 parent 1: prio 1 handle 1:1:4 protocol all u32",
            "tc class del dev bwin2 parent 1:1 classid 1:3",
            "tc class change dev bwin2 parent 1:1 classid 1:2 htb rate 6900mbit ceil 10gbit burst 1725000b cburst 2500000b quantum 200000 prio 1",
            "tc class add dev bwin2 parent 1:1 classid 1:3 htb rate 2gbit ceil 5gbit burst 500000b cburst 1250000b quantum 200000 prio 1",
            "tc qdisc add dev bwin2 parent 1:3 handle 3: pfifo limit 1000",
            "tc filter add dev bwin2 parent 1: prio 1 handle 1:1:4 protocol all u32 ht 1:1: match u32 0x00005254 0x0000ffff at -16 match u32 0x006b3c01 0xffffffff at -12 flowid 1:3",
        ], string.Join("\n", Lines(plan)));
        kernel.Apply(plan.Operations);
        Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "2G", inAverage: "5G"), Ibw("b", Mac2, floor: "1G", minutes: 1)]).Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Explicit_device_is_used_over_the_fdb()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, inAverage: "2G", device: "vnet5")]);
        Outcome(plan, "a").Device.ShouldBe("vnet5");
        Outcome(plan, "a").Ready.Status.ShouldBeTrue();
    }

    [Fact]
    public void Mac_not_in_fdb_is_ready_while_every_guest_port_is_hooked()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", "52:54:00:00:00:99", floor: "1G", inAverage: "2G")]);

        var a = Outcome(plan, "a");
        a.Ready.Status.ShouldBeTrue();
        a.Device.ShouldBeNull();
        a.Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
    }

    [Fact]
    public void Mac_not_in_fdb_is_not_ready_while_a_guest_port_is_held_by_another_tool()
    {
        var kernel = Kernel().Add(
            new Qdisc("vnet4", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions()),
            new U32Filter("vnet4", TcHandle.Of(0xFFFF, 0), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], FlowId: TcHandle.Of(0xFFFF, 1)));
        var plan = Plan(kernel, [Net()], [Ibw("a", "52:54:00:00:00:99", floor: "1G")]);

        var a = Outcome(plan, "a");
        a.Ready.Status.ShouldBeFalse();
        a.Ready.Reason.ShouldBe(ConditionReasons.ForeignDeviceQdisc);
        a.Ready.Message.ShouldContain("guest port vnet4 cannot be hooked: it already has a ingress qdisc with filters BandwidthOperator did not create");
    }

    [Fact]
    public void Missing_explicit_device_is_device_not_found()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, inAverage: "2G", device: "vnet99")]);
        var a = Outcome(plan, "a");
        a.Ready.Reason.ShouldBe(ConditionReasons.DeviceNotFound);
        a.Ready.Message.ShouldBe("InterfaceBandwidth tenant-a/a: spec.device: device vnet99 does not exist on node node-a");
    }

    [Fact]
    public void Foreign_ingress_on_a_guest_port_is_left_alone_and_named()
    {
        // What the CNI bandwidth plugin leaves: an ingress qdisc with a filter that is not ours.
        var foreignFilter = new U32Filter("vnet3", TcHandle.Of(0xFFFF, 0), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], FlowId: TcHandle.Of(0xFFFF, 1));
        var kernel = Kernel().Add(new Qdisc("vnet3", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions()), foreignFilter);
        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "1G", minutes: 1)]);

        var a = Outcome(plan, "a");
        a.Ready.Reason.ShouldBe(ConditionReasons.ForeignDeviceQdisc);
        a.Ready.Message.ShouldBe("InterfaceBandwidth tenant-a/a: guest port vnet3 of bridge br-tenant on node node-a cannot be hooked: it already has a ingress qdisc with filters BandwidthOperator did not create (u32 parent ffff: prio 1); it is left alone (remove it to let the classes apply)");
        Outcome(plan, "b").Ready.Status.ShouldBeTrue();
        plan.Operations.ShouldNotContain(o => o.Target.Device == "vnet3");
        plan.Bridges.Single().Ports.Single(p => p.Name == "vnet3").Hooked.ShouldBeFalse();
    }

    [Fact]
    public void Foreign_root_qdisc_on_a_port_does_not_stop_shaping()
    {
        var kernel = Kernel().Add(new Qdisc("vnet3", TcHandle.Of(1, 0), TcHandle.Root, new OtherQdiscOptions("prio")));
        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, inAverage: "2G")]);
        Outcome(plan, "a").Ready.Status.ShouldBeTrue();
        plan.Operations.ShouldNotContain(o => o.Target.Device == "vnet3" && o.Target is Qdisc && ((Qdisc)o.Target).Parent == TcHandle.Root);
    }

    [Fact]
    public void Port_of_an_uplink_kind_is_not_hooked_and_an_interface_behind_it_is_not_ready()
    {
        var kernel = Kernel();
        kernel.Devices["eth1"] = new DeviceFacts("eth1", 30, false, Bridge, null);
        kernel.Fdb[Bridge][MacAddress.Parse("52:54:00:00:00:77")] = "eth1";
        var plan = Plan(kernel, [Net()], [Ibw("a", "52:54:00:00:00:77", floor: "1G")]);

        plan.Operations.ShouldNotContain(o => o.Target.Device == "eth1");
        plan.Bridges.Single().Ports.Single(p => p.Name == "eth1").Role.ShouldBe(Ports.PortRole.Uplink);
        var a = Outcome(plan, "a");
        a.Ready.Reason.ShouldBe(ConditionReasons.PortIsUplink);
        a.Ready.Message.ShouldContain("device eth1 is an uplink port of bridge br-tenant");
    }

    [Fact]
    public void Explicit_roles_override_the_rule_and_a_name_not_in_the_bridge_is_reported()
    {
        var kernel = Kernel();
        kernel.Devices["eth1"] = new DeviceFacts("eth1", 30, false, Bridge, null);
        var net = Net();
        net.Spec.Ports = new BridgePorts { Uplinks = ["vnet5"], Guests = ["eth1", "eth9"] };

        var plan = Plan(kernel, [net], [Ibw("a", Mac1, floor: "1G")]);

        var ports = plan.Bridges.Single().Ports.ToDictionary(p => p.Name);
        ports["vnet5"].Role.ShouldBe(Ports.PortRole.Uplink);
        ports["vnet5"].Hooked.ShouldBeFalse();
        ports["eth1"].Role.ShouldBe(Ports.PortRole.Guest);
        ports["eth1"].Hooked.ShouldBeTrue();
        plan.Bridges.Single().Ready.ShouldBeFalse();
        plan.Bridges.Single().Message.ShouldBe("BridgeNetwork tenant-net: spec.ports.guests: eth9 is not a port of bridge br-tenant on node node-a");
        Outcome(plan, "a").Ready.Status.ShouldBeTrue();
        plan.Operations.ShouldNotContain(o => o.Target.Device == "vnet5");
    }

    [Fact]
    public void Namespace_outside_the_selector_is_not_allowed()
    {
        var net = Net();
        net.Spec.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "yes" } };
        var nsLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tenant-a"] = new Dictionary<string, string> { ["tenant"] = "yes" },
            ["tenant-b"] = new Dictionary<string, string> { ["tenant"] = "no" },
        };

        var plan = Plan(Kernel(), [net], [Ibw("a", Mac1, floor: "1G"), Ibw("b", Mac2, floor: "1G", ns: "tenant-b"), Ibw("c", Mac3, floor: "1G", ns: "unlabelled")], nsLabels: nsLabels);

        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        var b = Outcome(plan, "b");
        b.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.NamespaceNotAllowed, "InterfaceBandwidth tenant-b/b: namespace tenant-b is not allowed by BridgeNetwork tenant-net's namespaceSelector"));
        Outcome(plan, "c").Admitted.Reason.ShouldBe(ConditionReasons.NamespaceNotAllowed);
        plan.Operations.Count(o => o.Target is U32Filter { FlowId: { Minor: 3 } }).ShouldBe(1);
    }

    [Fact]
    public void Namespace_selector_is_not_evaluated_without_namespace_labels()
    {
        var net = Net();
        net.Spec.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "yes" } };
        var plan = Plan(Kernel(), [net], [Ibw("a", Mac1, floor: "1G")]);
        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
    }

    [Fact]
    public void Node_selector_that_excludes_the_node_takes_the_network_off_it()
    {
        var net = Net();
        net.Spec.NodeSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["net"] = "tenant" } };

        var plan = Plan(Kernel(), [net], [Ibw("a", Mac1, floor: "1G")], nodeLabels: new Dictionary<string, string> { ["net"] = "other" });

        plan.Operations.ShouldBeEmpty();
        plan.Bridges.ShouldBeEmpty();
        var a = Outcome(plan, "a");
        a.Admitted.Reason.ShouldBe(ConditionReasons.NetworkNotOnNode);
        a.Admitted.Message.ShouldBe("InterfaceBandwidth tenant-a/a: spec.network: BridgeNetwork tenant-net does not select node node-a");

        var selected = Plan(Kernel(), [net], [Ibw("a", Mac1, floor: "1G")], nodeLabels: new Dictionary<string, string> { ["net"] = "tenant" });
        Outcome(selected, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
    }

    [Fact]
    public void Second_network_on_the_same_bridge_is_refused()
    {
        var plan = Plan(Kernel(), [Net(name: "b-net"), Net(name: "a-net")], [Ibw("a", Mac1, floor: "1G", network: "b-net")]);
        plan.NetworkIssues.Single().ShouldBe("BridgeNetwork b-net: bridge br-tenant is already managed by BridgeNetwork a-net on node-a");
        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.BridgeInUse);
        plan.Bridges.Single().Network.ShouldBe("a-net");
    }

    [Fact]
    public void Leaf_qdisc_follows_what_the_kernel_offers()
    {
        var facts = Kernel().Facts("fq_codel");
        var plan = NodePlanner.Plan(new NodeRequest(Node, [Net()], [Ibw("a", Mac1, floor: "1G")]), facts);
        plan.Bridges.Single().LeafQdisc.ShouldBe("fq_codel");
        Lines(plan).ShouldContain("tc qdisc add dev bwin2 parent 1:3 handle 3: fq_codel");
    }

    [Fact]
    public void Drifted_kernel_is_repaired()
    {
        var (kernel, first) = Applied([Net()], [Ibw("a", Mac1, floor: "1G")]);
        var leaf = first.Operations.Select(o => o.Target).OfType<Qdisc>().Single(q => q.Handle == TcHandle.Of(3, 0));
        kernel.Apply([new TcOperation(TcVerb.Delete, leaf)]);

        var plan = Plan(kernel, [Net()], [Ibw("a", Mac1, floor: "1G")]);

        Lines(plan).ShouldBe(["tc qdisc add dev bwin2 parent 1:3 handle 3: pfifo limit 1000"]);
    }

    [Fact]
    public void Tree_of_a_network_that_is_gone_is_removed()
    {
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, floor: "1G")]);

        var plan = Plan(kernel, [], []);

        Lines(plan).ShouldBe(["tc qdisc del dev vnet3 clsact", "tc qdisc del dev vnet4 clsact", "tc qdisc del dev vnet5 clsact", "ip link del bwin2"]);
    }

    [Fact]
    public void First_plan_matches_the_golden_command_list()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, floor: "1G", inAverage: "2G", outAverage: "1G"), Ibw("b", Mac2, floor: "2.5G", minutes: 1), Ibw("c", Mac3, inAverage: "500M", minutes: 2)]);

        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "plan-three-interfaces.txt"));
        Lines(plan).ShouldBe(golden);
    }

    [Fact]
    public void Device_limits_alone_are_idempotent_once_applied()
    {
        var networks = new[] { Net(average: null) };
        var interfaces = new[] { Ibw("a", Mac1, inAverage: "2G", outAverage: "1G"), Ibw("c", Mac3, inAverage: "500M", minutes: 2) };
        var (kernel, first) = Applied(networks, interfaces);
        // Two capping classes in each direction's tree (no network capacity: the trees only cap), every guest port hooked.
        Outcome(first, "a").ClassId.ShouldBe((ushort)3);
        Outcome(first, "c").ClassId.ShouldBe((ushort)4);
        Outcome(first, "c").OutboundClassId.ShouldBeNull();
        first.Operations.ShouldContain(o => o.Target is HtbClass && o.Target.Device == "bwout2" && ((HtbClass)o.Target).Ceil == BitRate.Parse("1G"));

        Plan(kernel, networks, interfaces).Operations.ShouldBeEmpty();
    }

    [Fact]
    public void Removing_the_network_average_removes_the_whole_tree()
    {
        var (kernel, _) = Applied([Net()], [Ibw("a", Mac1, floor: "1G")]);

        var plan = Plan(kernel, [Net(average: null)], [Ibw("a", Mac1, floor: "1G")]);

        Lines(plan).ShouldBe(["tc qdisc del dev vnet3 clsact", "tc qdisc del dev vnet4 clsact", "tc qdisc del dev vnet5 clsact", "ip link del bwin2"]);
        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorNeedsNetworkAverage);
    }

    [Fact]
    public void A_device_that_is_not_a_port_of_the_bridge_is_refused_and_left_alone()
    {
        var networks = new[] { Net(average: null) };
        var interfaces = new[] { Ibw("a", Mac1, outAverage: "1G", device: "veth9") };
        var kernel = Kernel();
        kernel.Devices["veth9"] = new DeviceFacts("veth9", 19, false, null);

        var plan = Plan(kernel, networks, interfaces);

        plan.Operations.ShouldBeEmpty();
        Outcome(plan, "a").Ready.Reason.ShouldBe(ConditionReasons.DeviceNotFound);
        Outcome(plan, "a").Ready.Message.ShouldContain("device veth9 is not a port of bridge br-tenant");
    }

    [Fact]
    public void Orphaned_ifb_device_is_removed()
    {
        var kernel = Kernel();
        kernel.Devices["bwi42"] = new DeviceFacts("bwi42", 50, false, null);
        kernel.Add(new IfbLink("bwi42"), DeviceLimits.Tbf("bwi42", new Api.Validation.BandwidthLimits(null, BitRate.Parse("1G"), null, null))!);

        var plan = Plan(kernel, [Net(average: null)], []);

        Lines(plan).ShouldBe(["ip link del bwi42"]);
    }

    [Fact]
    public void Newcomer_gets_class_ids_exhausted_when_all_65532_are_held()
    {
        var interfaces = new List<InterfaceBandwidth>(65_534);
        for (var id = 3; id <= 0xFFFE; id++)
        {
            var mac = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"02:00:00:00:{id >> 8:x2}:{id & 0xFF:x2}");
            interfaces.Add(Ibw("held-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture), mac, floor: "1k", classId: id));
        }

        interfaces.Add(Ibw("newcomer", Mac1, floor: "1k", minutes: -1));

        var plan = Plan(Kernel(), [Net()], interfaces);

        var newcomer = Outcome(plan, "newcomer");
        newcomer.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.ClassIdsExhausted, "all class IDs 3..65534 on bridge br-tenant on node node-a are in use"));
        newcomer.ClassId.ShouldBeNull();
        Outcome(plan, "held-65534").ClassId.ShouldBe((ushort)0xFFFE);
        Lines(plan).ShouldContain("tc filter add dev bwin2 parent 1: prio 1 handle 11:fe:f protocol all u32 ht 11:fe: match u32 0x00000200 0x0000ffff at -16 match u32 0x0000fffe 0xffffffff at -12 flowid 1:fffe");
        plan.Bridges.Single().FloorSum.ShouldBe(new BitRate(65_532_000));
    }

    [Fact]
    public void Two_interfaces_behind_one_port_each_get_their_class()
    {
        // Classes match MACs on the bridge's tree, so two guests behind one port (a nested bridge) are no conflict.
        var plan = Plan(Kernel(), [Net()], [Ibw("a", Mac1, inAverage: "1G", device: "vnet3"), Ibw("b", Mac2, inAverage: "1G", device: "vnet3", minutes: 1)]);
        Outcome(plan, "a").Ready.Status.ShouldBeTrue();
        Outcome(plan, "b").Ready.Status.ShouldBeTrue();
        Outcome(plan, "b").ClassId.ShouldBe((ushort)4);
    }

    [Fact]
    public void Outcomes_are_sorted_by_namespace_and_name()
    {
        var plan = Plan(Kernel(), [Net()], [Ibw("b", Mac1, ns: "ns2"), Ibw("z", Mac2, ns: "ns1"), Ibw("a", Mac3, ns: "ns2")]);
        plan.Interfaces.Select(i => i.Ref.Key).ShouldBe(["ns1/z", "ns2/a", "ns2/b"]);
    }

    [Fact]
    public void Capacity_shrink_takes_the_floor_of_the_youngest()
    {
        var (kernel, _) = Applied([Net(average: "1G")], [Ibw("a", Mac1, floor: "600M"), Ibw("b", Mac2, floor: "400M", minutes: 1)]);

        var plan = Plan(kernel, [Net(average: "700M")], [Ibw("a", Mac1, floor: "600M"), Ibw("b", Mac2, floor: "400M", minutes: 1)]);

        Outcome(plan, "a").Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        var b = Outcome(plan, "b");
        b.Admitted.ShouldBe(new ConditionOutcome(false, ConditionReasons.FloorOvercommitted, "floor 400M does not fit: 100M of tenant-net's 700M inbound average is left on node-a"));
        b.AppliedFloor.ShouldBeNull();
        Lines(plan).ShouldContain("tc class del dev bwin2 parent 1:1 classid 1:4");
        Lines(plan).ShouldContain("tc filter del dev bwin2 parent 1: prio 1 handle 1:2:5 protocol all u32");
    }

    [Fact]
    public void Interface_that_loses_its_floor_keeps_its_class_id()
    {
        var (kernel, _) = Applied([Net(average: "1G")], [Ibw("a", Mac1, floor: "600M", classId: 3), Ibw("b", Mac2, floor: "400M", minutes: 1, classId: 4)]);

        var plan = Plan(kernel, [Net(average: "700M")], [Ibw("a", Mac1, floor: "600M", classId: 3), Ibw("b", Mac2, floor: "400M", minutes: 1, classId: 4)]);

        Outcome(plan, "b").ClassId.ShouldBe((ushort)4);
    }

    [Fact]
    public void Age_order_is_timestamp_then_name_then_list_order()
    {
        var older = Settings(Ibw("z", Mac1, minutes: 0), 2);
        var newer = Settings(Ibw("a", Mac2, minutes: 1), 1);
        NodePlanner.AgeOrder(older, newer).ShouldBeLessThan(0);

        var sameTimeA = Settings(Ibw("a", Mac1), 2);
        var sameTimeB = Settings(Ibw("b", Mac2), 1);
        NodePlanner.AgeOrder(sameTimeA, sameTimeB).ShouldBeLessThan(0);

        var noTime1 = Settings(Ibw("z", Mac1), 1) with { Created = null };
        var noTime2 = Settings(Ibw("a", Mac2), 2) with { Created = null };
        NodePlanner.AgeOrder(noTime1, noTime2).ShouldBeLessThan(0);
        NodePlanner.AgeOrder(noTime1, newer).ShouldBeGreaterThan(0);
    }

    private static Api.Validation.InterfaceSettings Settings(InterfaceBandwidth ibw, int order) =>
        Api.Validation.ResourceValidator.Validate(ibw, order).Settings!;
}
