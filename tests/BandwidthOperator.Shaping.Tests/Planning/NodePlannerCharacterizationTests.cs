using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>
/// Pins everything a plan says — every operation in order, every bridge and interface outcome with all
/// its fields, every network issue — for representative requests, each a few steps long (a step's
/// operations are applied to the fake kernel before the next step is planned). The golden files under
/// <c>testdata/plans/</c> were written by the planner as it was before it became a pipeline of stages
/// (docs/architecture.md, "The planner pipeline"), so the restructured planner must produce the same.
/// Set <c>BWOP_UPDATE_GOLDEN=1</c> to rewrite them after an intended change, and review the diff.
/// </summary>
public class NodePlannerCharacterizationTests
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Step(string Title, IReadOnlyList<BridgeNetwork> Networks, IReadOnlyList<InterfaceBandwidth> Interfaces)
    {
        public IReadOnlyDictionary<string, string>? NodeLabels { get; init; }

        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? NamespaceLabels { get; init; }

        public bool Prune { get; init; } = true;

        public string Leaf { get; init; } = "pfifo";

        /// <summary>The bridges the step is about (<see cref="NodeRequest.ScopeBridges"/>); null: the whole node.</summary>
        public IReadOnlySet<string>? Scope { get; init; }

        /// <summary>Whether the step's operations are applied to the kernel before the next step.</summary>
        public bool Apply { get; init; } = true;
    }

    private static BridgeNetwork Net(string name, string bridge, string? inAverage = "10G", string? outAverage = null, string? inBurst = null)
    {
        return new BridgeNetwork
        {
            Metadata = new V1ObjectMeta { Name = name, Generation = 3 },
            Spec = new BridgeNetworkSpec
            {
                Bridge = bridge,
                Inbound = inAverage is null && inBurst is null ? null : new NetworkBandwidth { Average = inAverage, Burst = inBurst },
                Outbound = outAverage is null ? null : new NetworkBandwidth { Average = outAverage },
            },
        };
    }

    private static InterfaceBandwidth Ibw(
        string name,
        string mac,
        string network,
        string? floor = null,
        string? inAverage = null,
        string? outFloor = null,
        string? outAverage = null,
        int minutes = 0,
        int? classId = null,
        int? outClassId = null,
        string ns = "tenant-a",
        string? device = null,
        string node = Node,
        string? peak = null,
        string? burst = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = T0.AddMinutes(minutes), Generation = 2 },
            Spec = new InterfaceBandwidthSpec
            {
                Network = network,
                NodeName = node,
                MacAddress = mac,
                Device = device,
                Inbound = floor is null && inAverage is null && peak is null ? null : new InterfaceInbound { Floor = floor, Average = inAverage, Peak = peak, Burst = burst },
                Outbound = outFloor is null && outAverage is null ? null : new InterfaceOutbound { Floor = outFloor, Average = outAverage },
            },
            Status = classId is null && outClassId is null ? null : new InterfaceBandwidthStatus { ClassId = classId, OutboundClassId = outClassId },
        };

    private static string Mac(int n) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:00:{n >> 8:x2}:{n & 0xFF:x2}");

    /// <summary>br-tenant (ifindex 2) with guests vnet3..vnet5; br-other (3) with guests vnet6, vnet7 and uplink eth2.</summary>
    private static FakeKernel TwoBridges()
    {
        var k = FakeKernel.WithBridge("br-tenant")
            .Port("br-tenant", "vnet3", 7, Mac(1))
            .Port("br-tenant", "vnet4", 8, Mac(2))
            .Port("br-tenant", "vnet5", 9, Mac(3));
        k.Devices["br-other"] = new DeviceFacts("br-other", 3, true, null);
        k.Fdb["br-other"] = [];
        k.Port("br-other", "vnet6", 10, Mac(0x11)).Port("br-other", "vnet7", 11, Mac(0x12));
        k.Devices["eth2"] = new DeviceFacts("eth2", 12, false, "br-other", null);
        k.Fdb["br-other"][MacAddress.Parse(Mac(0x13))] = "eth2";
        return k;
    }

    [Fact]
    public void Several_bridges_with_every_kind_of_network_and_interface()
    {
        var offNode = Net("off-node", "br-off");
        offNode.Spec.NodeSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["net"] = "off" } };
        var tenant = Net("tenant-net", "br-tenant", "10G", "5G");
        tenant.Spec.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "yes" } };
        var networks = new[]
        {
            tenant,
            Net("other-net", "br-other", "1G"),
            Net("zz-dup", "br-tenant", "1G"),
            Net("bad-net", "br-bad", "ten gigabits"),
            Net("missing-net", "br-missing", "1G"),
            offNode,
        };
        var interfaces = new List<InterfaceBandwidth>
        {
            Ibw("a", Mac(1), "tenant-net", floor: "1G", inAverage: "2G", outFloor: "500M", outAverage: "1G"),
            Ibw("b", Mac(2), "tenant-net", floor: "2G", minutes: 1, classId: 0x20),
            Ibw("c", Mac(3), "tenant-net", inAverage: "500M", peak: "800M", burst: "64Ki", minutes: 2),
            Ibw("d", Mac(4), "tenant-net", outAverage: "100M", minutes: 3),
            Ibw("dup-mac", Mac(1), "tenant-net", floor: "1G", minutes: -1),
            Ibw("e", Mac(0x11), "other-net", floor: "300M", minutes: 4),
            Ibw("f", Mac(0x12), "other-net", floor: "300M", outFloor: "10M", minutes: 5),
            Ibw("behind-uplink", Mac(0x13), "other-net", floor: "100M", minutes: 6),
            Ibw("unknown", Mac(0x30), "no-such-net"),
            Ibw("on-dup", Mac(0x31), "zz-dup", floor: "1M"),
            Ibw("on-bad", Mac(0x32), "bad-net", floor: "1M"),
            Ibw("on-missing", Mac(0x33), "missing-net", floor: "1M"),
            Ibw("on-off", Mac(0x34), "off-node", floor: "1M"),
            Ibw("invalid", "not-a-mac", "tenant-net", floor: "1M"),
            Ibw("elsewhere", Mac(0x35), "tenant-net", floor: "1G", node: "node-b"),
            Ibw("ns-refused", Mac(5), "tenant-net", floor: "1G", ns: "tenant-b"),
        };
        var nodeLabels = new Dictionary<string, string> { ["net"] = "tenant" };
        var nsLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tenant-a"] = new Dictionary<string, string> { ["tenant"] = "yes" },
            ["tenant-b"] = new Dictionary<string, string> { ["tenant"] = "no" },
        };

        var changed = interfaces.Where(i => i.Metadata.Name is not ("b" or "dup-mac")).Select(i => i.Metadata.Name == "e" ? Ibw("e", Mac(0x11), "other-net", floor: "900M", minutes: 4) : i).ToList();
        changed.Add(Ibw("g", Mac(0x14), "other-net", floor: "50M", inAverage: "60M", minutes: -10));

        Verify(
            TwoBridges(),
            [
                new Step("from empty", networks, interfaces) { NodeLabels = nodeLabels, NamespaceLabels = nsLabels },
                new Step("again: nothing to change", networks, interfaces) { NodeLabels = nodeLabels, NamespaceLabels = nsLabels },
                new Step("b and dup-mac deleted, e raised over capacity, an older g added", networks, changed) { NodeLabels = nodeLabels, NamespaceLabels = nsLabels },
                new Step("other-net deleted: its bridge is pruned", [.. networks.Where(n => n.Metadata.Name != "other-net")], changed) { NodeLabels = nodeLabels, NamespaceLabels = nsLabels },
                new Step("nothing left", [], []),
            ]);
    }

    [Fact]
    public void Scoped_to_one_bridge_at_a_time()
    {
        var networks = new[]
        {
            Net("tenant-net", "br-tenant", "10G", "5G"),
            Net("other-net", "br-other", "1G"),
            Net("zz-dup", "br-tenant", "1G"),
            Net("bad-net", "br-other", "ten gigabits"),
        };
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "1G", outFloor: "500M"),
            Ibw("b", Mac(2), "tenant-net", inAverage: "2G", minutes: 1),
            Ibw("e", Mac(0x11), "other-net", floor: "300M", minutes: 2),
            Ibw("f", Mac(0x12), "other-net", floor: "800M", minutes: 3),
            Ibw("on-dup", Mac(0x31), "zz-dup", floor: "1M"),
            Ibw("on-bad", Mac(0x32), "bad-net", floor: "1M"),
            Ibw("unknown", Mac(0x30), "no-such-net"),
        };
        var tenant = new HashSet<string>(StringComparer.Ordinal) { "br-tenant" };
        var other = new HashSet<string>(StringComparer.Ordinal) { "br-other" };
        Verify(
            TwoBridges(),
            [
                new Step("br-tenant from empty", networks, interfaces) { Scope = tenant },
                new Step("br-other from empty", networks, interfaces) { Scope = other },
                new Step("whole node: nothing to change", networks, interfaces),
                new Step("other-net deleted, br-tenant's pass: br-other untouched", [.. networks.Where(n => n.Metadata.Name != "other-net")], interfaces) { Scope = tenant },
                new Step("other-net deleted, br-other's pass: bad-net protects it", [.. networks.Where(n => n.Metadata.Name != "other-net")], interfaces) { Scope = other },
                new Step("bad-net deleted too, br-other's pass: its objects go", [networks[0], networks[2]], interfaces) { Scope = other },
            ]);
    }

    [Fact]
    public void Scoped_pass_over_the_previous_layout()
    {
        var networks = new[] { Net("tenant-net", "br-tenant", "10G") };
        var interfaces = new[] { Ibw("a", Mac(1), "tenant-net", floor: "1G", inAverage: "2G", outAverage: "2G") };
        Verify(
            WithPreviousLayout(),
            [
                new Step("br-other's pass: no network names it", networks, interfaces) { Scope = new HashSet<string>(StringComparer.Ordinal) { "br-other" } },
                new Step("br-tenant's pass", networks, interfaces) { Scope = new HashSet<string>(StringComparer.Ordinal) { "br-tenant" } },
                new Step("a bridge that does not exist", networks, interfaces) { Scope = new HashSet<string>(StringComparer.Ordinal) { "br-gone" } },
            ]);
    }

    [Fact]
    public void Floors_over_capacity_and_without_an_average()
    {
        var networks = new[] { Net("tenant-net", "br-tenant", "1G") };
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "600M"),
            Ibw("b", Mac(2), "tenant-net", floor: "300M", minutes: 1),
            Ibw("c", Mac(3), "tenant-net", floor: "300M", minutes: 2),
            Ibw("huge", Mac(4), "tenant-net", floor: "2G", minutes: 3),
            Ibw("out", Mac(5), "tenant-net", outFloor: "10M", minutes: 4),
        };
        Verify(
            TwoBridges(),
            [
                new Step("from empty", networks, interfaces),
                new Step("capacity shrinks to 700M", [Net("tenant-net", "br-tenant", "700M")], interfaces),
                new Step("b raises to 500M, c gone", [Net("tenant-net", "br-tenant", "700M")], [.. interfaces.Where(i => i.Metadata.Name != "c").Select(i => i.Metadata.Name == "b" ? Ibw("b", Mac(2), "tenant-net", floor: "500M", minutes: 1) : i)]),
                new Step("limits only, then a floor for the capped one", [Net("tenant-net", "br-tenant", "700M")], [Ibw("a", Mac(1), "tenant-net", floor: "100M"), Ibw("b", Mac(2), "tenant-net", floor: "200M", inAverage: "500M", minutes: 1)]),
                new Step("network average removed", [Net("tenant-net", "br-tenant", null, "1G")], [Ibw("a", Mac(1), "tenant-net", floor: "100M", outAverage: "100M")]),
            ]);
    }

    [Fact]
    public void Limits_only_without_network_averages()
    {
        var networks = new[] { Net("tenant-net", "br-tenant", null) };
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", inAverage: "2G", outAverage: "1G"),
            Ibw("c", Mac(3), "tenant-net", inAverage: "500M", minutes: 2),
        };
        Verify(
            TwoBridges(),
            [
                new Step("from empty", networks, interfaces) { Leaf = "fq_codel" },
                new Step("no limits left", networks, [Ibw("a", Mac(1), "tenant-net")]) { Leaf = "fq_codel" },
            ]);
    }

    [Fact]
    public void Port_roles_holders_and_devices()
    {
        var kernel = TwoBridges();
        kernel.Devices["eth1"] = new DeviceFacts("eth1", 30, false, "br-tenant", null);
        kernel.Devices["vnet8"] = new DeviceFacts("vnet8", 31, false, "br-tenant", "tun");
        kernel.Devices["veth9"] = new DeviceFacts("veth9", 32, false, null, "veth");
        kernel.Fdb["br-tenant"][MacAddress.Parse(Mac(7))] = "vnet8";
        var foreign = new U32Filter("vnet8", TcHandle.Of(0xFFFF, 0), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], FlowId: TcHandle.Of(0xFFFF, 1));
        kernel.Add(new Qdisc("vnet8", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions()), foreign);
        kernel.Add(new Qdisc("vnet4", TcHandle.Of(1, 0), TcHandle.Root, new OtherQdiscOptions("prio")));
        var net = Net("tenant-net", "br-tenant", "10G", "10G");
        net.Spec.Ports = new BridgePorts { Uplinks = ["vnet5"], Guests = ["eth1", "eth9"] };
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "1G"),
            Ibw("behind-uplink-by-name", Mac(3), "tenant-net", floor: "1G", minutes: 1),
            Ibw("held", Mac(7), "tenant-net", floor: "1G", minutes: 2),
            Ibw("not-in-fdb", Mac(0x40), "tenant-net", floor: "1G", minutes: 3),
            Ibw("no-class", Mac(0x41), "tenant-net", minutes: 4),
            Ibw("missing-device", Mac(0x42), "tenant-net", outAverage: "1G", device: "vnet99", minutes: 5),
            Ibw("not-a-port", Mac(0x43), "tenant-net", outAverage: "1G", device: "veth9", minutes: 6),
            Ibw("explicit", Mac(0x44), "tenant-net", inAverage: "1G", device: "eth1", minutes: 7),
            Ibw("two-behind-one", Mac(0x45), "tenant-net", inAverage: "1G", device: "eth1", minutes: 8),
        };
        Verify(
            kernel,
            [
                new Step("from empty", [net], interfaces),
                new Step("roles back to the rule", [Net("tenant-net", "br-tenant", "10G", "10G")], interfaces),
            ]);
    }

    /// <summary>The previous layout: the tree on the bridge itself, a TBF b0: on a port, its ingress redirected to bwi{ifindex}.</summary>
    private static FakeKernel WithPreviousLayout()
    {
        var kernel = TwoBridges();
        kernel.Devices["bwi7"] = new DeviceFacts("bwi7", 60, false, null, "ifb");
        kernel.Devices["bwi10"] = new DeviceFacts("bwi10", 61, false, null, "ifb");
        var limits = new BandwidthLimits(null, BitRate.Parse("2G"), null, null);
        kernel.Add([.. BridgeTree.Build("br-tenant", BitRate.Parse("10G"), null, [new FloorClass(3, MacAddress.Parse(Mac(1)), BitRate.Parse("1G"), BitRate.Parse("2G")), new FloorClass(0x2A, MacAddress.Parse(Mac(2)), BitRate.Parse("2G"), BitRate.Parse("10G"))], NodePlanner.LeafOptions("pfifo"))]);
        kernel.Add([.. DeviceLimits.Build("vnet3", 7, limits, limits)]);
        kernel.Add([.. BridgeTree.Build("br-other", BitRate.Parse("1G"), null, [new FloorClass(5, MacAddress.Parse(Mac(0x11)), BitRate.Parse("100M"), BitRate.Parse("1G"))], NodePlanner.LeafOptions("pfifo"))]);
        kernel.Add([.. DeviceLimits.Build("vnet6", 10, limits, limits)]);
        // An IFB of this layout for a bridge that is gone, one of the previous layout for a port that is gone.
        kernel.Devices["bwin99"] = new DeviceFacts("bwin99", 62, false, null, "ifb");
        kernel.Devices["bwi98"] = new DeviceFacts("bwi98", 63, false, null, "ifb");
        kernel.Add(new IfbLink("bwin99"), new IfbLink("bwi98"));
        return kernel;
    }

    [Fact]
    public void Previous_layout_upgrade_and_prune()
    {
        var networks = new[] { Net("tenant-net", "br-tenant", "10G") };
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "1G", inAverage: "2G", outAverage: "2G"),
            Ibw("b", Mac(2), "tenant-net", floor: "2G", minutes: -5),
        };
        Verify(
            WithPreviousLayout(),
            [
                new Step("manifests name br-tenant only, no prune", networks, interfaces) { Prune = false, Apply = false },
                new Step("upgrade: br-other is named by no network", networks, interfaces),
                new Step("again: nothing to change", networks, interfaces),
            ]);
    }

    [Fact]
    public void Previous_layout_everywhere_with_no_networks()
    {
        Verify(
            WithPreviousLayout(),
            [
                new Step("no prune: nothing named, nothing touched", [], []) { Prune = false, Apply = false },
                new Step("prune: everything of ours goes", [], []),
            ]);
    }

    [Fact]
    public void Invalid_network_protects_its_bridge_and_invalid_edits_keep_what_was_applied()
    {
        var interfaces = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "20M", inAverage: "50M", outAverage: "30M"),
            Ibw("b", Mac(2), "tenant-net", floor: "10M", minutes: 1),
            Ibw("e", Mac(0x11), "other-net", floor: "10M", outAverage: "5M"),
        };
        var edited = new[]
        {
            Ibw("a", Mac(1), "tenant-net", floor: "80M", inAverage: "50M", outAverage: "30M"),
            Ibw("b", Mac(2), "tenant-net", floor: "10M", minutes: 1),
            Ibw("e", Mac(0x11), "other-net", floor: "10M", outAverage: "5M"),
            Ibw("newcomer", Mac(3), "tenant-net", floor: "90M", minutes: -3),
        };
        var good = new[] { Net("tenant-net", "br-tenant", "100M"), Net("other-net", "br-other", "100M") };
        Verify(
            TwoBridges(),
            [
                new Step("from empty", good, interfaces),
                new Step("a's floor above its own average; a newcomer wants more than is left", good, edited),
                new Step("other-net becomes invalid: its bridge is left as it is", [good[0], Net("other-net", "br-other", "lots")], edited),
                new Step("a fixed", good, [.. edited.Select(i => i.Metadata.Name == "a" ? Ibw("a", Mac(1), "tenant-net", floor: "40M", inAverage: "50M") : i)]),
            ]);
    }

    [Fact]
    public void Many_interfaces_on_two_bridges_over_several_steps()
    {
        var random = new Random(9);
        var networks = new[] { Net("tenant-net", "br-tenant", "10G", "4G"), Net("other-net", "br-other", "2G") };
        List<InterfaceBandwidth> Generate(int count, int salt)
        {
            var list = new List<InterfaceBandwidth>();
            for (var i = 0; i < count; i++)
            {
                var tenant = i % 3 != 0;
                var roll = random.Next(6);
                list.Add(Ibw(
                    "vm-" + i.ToString(CultureInfo.InvariantCulture),
                    Mac(tenant ? 0x100 + i : 0x200 + i),
                    tenant ? "tenant-net" : "other-net",
                    floor: roll is 0 or 1 or 4 ? (50 * (1 + random.Next(8 + salt))).ToString(CultureInfo.InvariantCulture) + "M" : null,
                    inAverage: roll is 2 or 4 ? "1G" : null,
                    outFloor: roll == 3 ? "20M" : null,
                    outAverage: roll is 3 or 5 ? "200M" : null,
                    minutes: random.Next(100),
                    classId: random.Next(4) == 0 ? 3 + random.Next(200) : null));
            }

            return list;
        }

        var first = Generate(60, 0);
        var second = Generate(70, 4);
        Verify(
            TwoBridges(),
            [
                new Step("60 from empty", networks, first),
                new Step("70 others, larger floors", networks, second),
                new Step("the first 40 of them", networks, second.Take(40).ToList()),
            ]);
    }

    private static void Verify(FakeKernel kernel, Step[] steps, [CallerMemberName] string name = "", [CallerFilePath] string source = "")
    {
        var sourceDir = Path.GetDirectoryName(source)!;
        var text = new StringBuilder();
        foreach (var (step, i) in steps.Select((s, i) => (s, i)))
        {
            var request = new NodeRequest(Node, step.Networks, step.Interfaces, step.NodeLabels, step.NamespaceLabels) { PruneUnnamedBridges = step.Prune, ScopeBridges = step.Scope };
            var plan = NodePlanner.Plan(request, kernel.Facts(step.Leaf));
            text.Append(CultureInfo.InvariantCulture, $"### step {i + 1}: {step.Title}\n");
            Dump(plan, text);
            if (step.Apply)
            {
                kernel.Apply(plan.Operations);
            }
        }

        var actual = text.ToString();
        var file = Path.Combine(sourceDir, "..", "testdata", "plans", name + ".txt");
        if (Environment.GetEnvironmentVariable("BWOP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, actual);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "plans", name + ".txt"));
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Min(expectedLines.Length, actualLines.Length); i++)
        {
            actualLines[i].ShouldBe(expectedLines[i], $"line {i + 1} of testdata/plans/{name}.txt");
        }

        actualLines.Length.ShouldBe(expectedLines.Length, $"lines in testdata/plans/{name}.txt");
    }

    private static void Dump(NodePlan plan, StringBuilder w)
    {
        foreach (var b in plan.Bridges)
        {
            w.Append(CultureInfo.InvariantCulture, $"bridge {b.Network} on {b.Bridge}: ready={b.Ready} capacity={b.Capacity} floorSum={b.FloorSum} interfaces={b.Interfaces} leaf={b.LeafQdisc} outCapacity={b.OutboundCapacity} outFloorSum={b.OutboundFloorSum} ifbs=[{string.Join(",", b.Ifbs)}]\n");
            w.Append(CultureInfo.InvariantCulture, $"  message: {b.Message}\n");
            foreach (var p in b.Ports)
            {
                w.Append(CultureInfo.InvariantCulture, $"  port {p.Name} {p.Role} hooked={p.Hooked} holder={p.Holder}\n");
            }

            foreach (var issue in b.PortIssues)
            {
                w.Append(CultureInfo.InvariantCulture, $"  port issue: {issue}\n");
            }

            foreach (var o in b.Desired)
            {
                w.Append(CultureInfo.InvariantCulture, $"  in:  {new TcOperation(TcVerb.Add, o)}\n");
            }

            foreach (var o in b.OutboundDesired)
            {
                w.Append(CultureInfo.InvariantCulture, $"  out: {new TcOperation(TcVerb.Add, o)}\n");
            }
        }

        foreach (var i in plan.Interfaces)
        {
            w.Append(CultureInfo.InvariantCulture, $"interface {i.Ref} network={i.Network} bridge={i.Bridge} class={Hex(i.ClassId)} floor={i.AppliedFloor} outClass={Hex(i.OutboundClassId)} outFloor={i.AppliedOutboundFloor} device={i.Device} generation={i.Generation}\n");
            w.Append(CultureInfo.InvariantCulture, $"  admitted: {i.Admitted.Status} {i.Admitted.Reason}: {i.Admitted.Message}\n");
            w.Append(CultureInfo.InvariantCulture, $"  ready:    {i.Ready.Status} {i.Ready.Reason}: {i.Ready.Message}\n");
        }

        foreach (var issue in plan.NetworkIssues)
        {
            w.Append(CultureInfo.InvariantCulture, $"network issue: {issue}\n");
        }

        foreach (var op in plan.Operations)
        {
            w.Append(CultureInfo.InvariantCulture, $"op: {op}\n");
        }
    }

    private static string Hex(ushort? id) => id is { } v ? v.ToString("x", CultureInfo.InvariantCulture) : "-";

}
