using System.Globalization;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>
/// Interfaces appended to a settled plan are planned alone (<see cref="NodePlanner.PlanAppended"/>): whenever it
/// answers, the answer must be the plan the whole pipeline makes — same outcomes, same operations, same bridge
/// outcomes — and applying it must leave nothing to do. Held to that on many random bridges, and on the cases
/// where it must decline.
/// </summary>
public sealed class NodePlannerAppendTests
{
    private const string Node = "node-a";
    private const string Bridge = "br-tenant";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Appended_plans_are_what_the_whole_pipeline_plans_on_random_bridges()
    {
        var (answered, declined) = (0, 0);
        for (var seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            var kernel = Kernel(random);
            var networks = new[] { Net(random) };
            var existing = Enumerable.Range(0, random.Next(0, 25)).Select(i => Ibw(random, i)).ToList();
            var settled = Settle(kernel, networks, existing);

            var newcomers = Enumerable.Range(100, random.Next(1, 4)).Select(i => Ibw(random, i)).ToList();
            var atEnd = random.Next(3) > 0;
            var interfaces = new List<InterfaceBandwidth>(existing);
            var added = new List<int>();
            foreach (var n in newcomers)
            {
                var at = atEnd ? interfaces.Count : random.Next(interfaces.Count + 1);
                interfaces.Insert(at, n);
            }

            added.AddRange(newcomers.Select(n => interfaces.IndexOf(n)).Order());
            var request = new NodeRequest(Node, networks, interfaces);
            var facts = kernel.Facts();
            var whole = NodePlanner.Plan(request, facts);

            var appended = NodePlanner.PlanAppended(settled, request, facts, added, added.All(i => i >= existing.Count));
            if (appended is null)
            {
                declined++;
                continue;
            }

            answered++;
            var why = $"seed {seed}";
            appended.Interfaces.ShouldBe(whole.Interfaces, why);
            appended.Operations.ShouldBe(whole.Operations, why);
            appended.NetworkIssues.ShouldBe(whole.NetworkIssues, why);
            appended.Networks.ShouldBe(whole.Networks, why);
            appended.Bridges.Count.ShouldBe(whole.Bridges.Count, why);
            foreach (var (a, w) in appended.Bridges.Zip(whole.Bridges))
            {
                (a with { Desired = [], OutboundDesired = [], Ports = [], PortIssues = [], Ifbs = [] })
                    .ShouldBe(w with { Desired = [], OutboundDesired = [], Ports = [], PortIssues = [], Ifbs = [] }, why);
                a.Desired.ShouldBe(w.Desired, ignoreOrder: true, why);
                a.OutboundDesired.ShouldBe(w.OutboundDesired, ignoreOrder: true, why);
                a.Ports.ShouldBe(w.Ports, why);
                a.PortIssues.ShouldBe(w.PortIssues, why);
                a.Ifbs.ShouldBe(w.Ifbs, why);
            }

            // Applied, it leaves nothing to do; and it can be appended to in turn.
            kernel.Apply(appended.Operations);
            var after = kernel.Facts();
            NodePlanner.Plan(request, after).Operations.ShouldBeEmpty(why);
            var next = Ibw(random, 200);
            var more = new NodeRequest(Node, networks, [.. interfaces, next]);
            if (NodePlanner.PlanAppended(NodePlanner.Settled(appended), more, after, [interfaces.Count], atEnd: true) is { } again)
            {
                var wholeAgain = NodePlanner.Plan(more, after);
                again.Interfaces.ShouldBe(wholeAgain.Interfaces, why + ", appended twice");
                again.Operations.ShouldBe(wholeAgain.Operations, why + ", appended twice");
            }
        }

        // Both ways are taken often enough for the comparison to mean something.
        answered.ShouldBeGreaterThan(150, $"answered {answered}, declined {declined}");
        declined.ShouldBeGreaterThan(50);
    }

    [Fact]
    public void A_newcomer_that_does_not_fit_a_duplicate_mac_or_an_older_one_is_left_to_the_whole_pipeline()
    {
        var kernel = FakeKernel.WithBridge().Port(Bridge, "vnet0", 10, "52:54:00:00:00:01");
        var net = new BridgeNetwork
        {
            Metadata = new V1ObjectMeta { Name = "tenant-net", Generation = 1 },
            Spec = new BridgeNetworkSpec { Bridge = Bridge, Inbound = new NetworkBandwidth { Average = "100M" } },
        };
        var first = Fixed("a", "52:54:00:00:00:01", "60M", minutes: 10);
        var settled = Settle(kernel, [net], [first]);
        var facts = kernel.Facts();

        NodePlanner.PlanAppended(settled, new NodeRequest(Node, [net], [first, Fixed("b", "52:54:00:00:00:02", "50M", minutes: 20)]), facts, [1], atEnd: true)
            .ShouldBeNull("60M + 50M does not fit 100M: the refusal's message depends on the others");
        NodePlanner.PlanAppended(settled, new NodeRequest(Node, [net], [first, Fixed("c", "52:54:00:00:00:01", "10M", minutes: 20)]), facts, [1], atEnd: true)
            .ShouldBeNull("the MAC is claimed already");
        NodePlanner.PlanAppended(settled, new NodeRequest(Node, [net], [first, Fixed("d", "52:54:00:00:00:03", "10M", minutes: 5)]), facts, [1], atEnd: true)
            .ShouldBeNull("older than a member: admission order would change");

        var fits = NodePlanner.PlanAppended(settled, new NodeRequest(Node, [net], [first, Fixed("e", "52:54:00:00:00:03", "10M", minutes: 20)]), facts, [1], atEnd: true);
        fits.ShouldNotBeNull().Operations.Select(o => (o.Verb, o.Target.GetType().Name)).ShouldBe(
            [(TcVerb.Change, nameof(HtbClass)), (TcVerb.Add, nameof(HtbClass)), (TcVerb.Add, nameof(Qdisc)), (TcVerb.Add, nameof(U32Filter))],
            "the default class gives up the floor; the class, its leaf and its MAC filter are added");
    }

    [Fact]
    public void Status_class_ids_caught_up_with_the_plan_plan_alike_and_the_last_plan_stands()
    {
        var answered = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var kernel = Kernel(random);
            var networks = new[] { Net(random) };
            var existing = Enumerable.Range(0, random.Next(0, 20)).Select(i => Stored(Ibw(random, i))).ToList();
            Settle(kernel, networks, existing);

            // Newcomers not applied yet: the plan has work to do, as when the agent writes their class IDs first.
            var interfaces = existing.Concat(Enumerable.Range(100, random.Next(1, 5)).Select(i => Stored(Ibw(random, i)))).ToList();
            var request = new NodeRequest(Node, networks, interfaces);
            var facts = kernel.Facts();
            var plan = NodePlanner.Plan(request, facts);

            // The class IDs the plan gave, written to the status of some of them (a new resourceVersion each).
            var caughtUp = interfaces.ToList();
            var changed = new List<int>();
            for (var i = 0; i < caughtUp.Count; i++)
            {
                var outcome = plan.Interfaces.FirstOrDefault(o => o.Ref.Name == caughtUp[i].Metadata.Name);
                if (outcome is { } o && (o.ClassId is not null || o.OutboundClassId is not null) && random.Next(3) > 0
                    && (caughtUp[i].Status?.ClassId != o.ClassId || caughtUp[i].Status?.OutboundClassId != o.OutboundClassId))
                {
                    caughtUp[i] = WithStatus(caughtUp[i], o.ClassId, o.OutboundClassId);
                    changed.Add(i);
                }
            }

            if (changed.Count == 0)
            {
                continue;
            }

            var after = new NodeRequest(Node, networks, caughtUp);
            var whole = NodePlanner.Plan(after, facts);
            var why = $"seed {seed}";
            whole.Interfaces.ShouldBe(plan.Interfaces, why);
            whole.Operations.ShouldBe(plan.Operations, why);
            NodePlanner.PlanStatusCaughtUp(plan, request, after, changed).ShouldBeSameAs(plan, why);
            answered++;

            // A spec that changed with it is not a catch-up.
            var edited = caughtUp.ToList();
            var at = changed[0];
            edited[at] = WithStatus(edited[at], edited[at].Status?.ClassId, edited[at].Status?.OutboundClassId, device: "vnet9");
            NodePlanner.PlanStatusCaughtUp(plan, request, new NodeRequest(Node, networks, edited), changed).ShouldBeNull(why);

            // Nor is a status ID the plan did not give.
            var wrong = caughtUp.ToList();
            wrong[at] = WithStatus(wrong[at], 0xFFF0, wrong[at].Status?.OutboundClassId);
            NodePlanner.PlanStatusCaughtUp(plan, request, new NodeRequest(Node, networks, wrong), changed).ShouldBeNull(why);
        }

        answered.ShouldBeGreaterThan(150);
    }

    private static InterfaceBandwidth Stored(InterfaceBandwidth i)
    {
        i.Metadata.Uid = "uid-" + i.Metadata.Name;
        i.Metadata.ResourceVersion = "1";
        return i;
    }

    /// <summary>The object as the API server returns it after a status write: a new resourceVersion and status, the same spec (or <paramref name="device"/> set).</summary>
    private static InterfaceBandwidth WithStatus(InterfaceBandwidth i, int? classId, int? outboundClassId, string? device = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = i.Metadata.Name,
            NamespaceProperty = i.Metadata.NamespaceProperty,
            Uid = i.Metadata.Uid,
            ResourceVersion = i.Metadata.ResourceVersion + "1",
            CreationTimestamp = i.Metadata.CreationTimestamp,
            Generation = i.Metadata.Generation,
        },
        Spec = device is null ? i.Spec : new InterfaceBandwidthSpec
        {
            Network = i.Spec.Network,
            NodeName = i.Spec.NodeName,
            MacAddress = i.Spec.MacAddress,
            Device = device,
            Inbound = i.Spec.Inbound,
            Outbound = i.Spec.Outbound,
        },
        Status = new InterfaceBandwidthStatus { ClassId = classId, OutboundClassId = outboundClassId },
    };

    /// <summary>Plans, applies and plans again until nothing is left: the settled plan, as the engine keeps it.</summary>
    private static NodePlan Settle(FakeKernel kernel, IReadOnlyList<BridgeNetwork> networks, IReadOnlyList<InterfaceBandwidth> interfaces)
    {
        var request = new NodeRequest(Node, networks, interfaces);
        var plan = NodePlanner.Plan(request, kernel.Facts());
        kernel.Apply(plan.Operations);
        var settled = NodePlanner.Plan(request, kernel.Facts());
        settled.Operations.ShouldBeEmpty("one pass converges");
        return settled;
    }

    private static FakeKernel Kernel(Random random)
    {
        var kernel = FakeKernel.WithBridge();
        for (var p = 0; p < 6; p++)
        {
            kernel.Port(Bridge, $"vnet{p}", 10 + p, Mac(p * 7));
        }

        // Some MACs are in the forwarding database behind guest ports, the rest are not known yet.
        for (var i = 0; i < 300; i++)
        {
            if (random.Next(3) == 0)
            {
                kernel.Fdb[Bridge][Api.Quantities.MacAddress.Parse(Mac(i))] = $"vnet{random.Next(6)}";
            }
        }

        return kernel;
    }

    private static BridgeNetwork Net(Random random) => new()
    {
        Metadata = new V1ObjectMeta { Name = "tenant-net", Generation = 1 },
        Spec = new BridgeNetworkSpec
        {
            Bridge = Bridge,
            Inbound = random.Next(8) == 0 ? null : new NetworkBandwidth { Average = Rate(random, 300, 5000) },
            Outbound = random.Next(2) == 0 ? null : new NetworkBandwidth { Average = Rate(random, 300, 5000) },
        },
    };

    private static InterfaceBandwidth Ibw(Random random, int i) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"vm-{i:D3}",
            NamespaceProperty = random.Next(4) == 0 ? "tenant-b" : "tenant-a",
            CreationTimestamp = random.Next(40) == 0 ? null : T0.AddMinutes(i < 100 ? random.Next(50) : random.Next(8) == 0 ? random.Next(60) : 50 + random.Next(30)),
            Generation = 1,
        },
        Spec = new InterfaceBandwidthSpec
        {
            Network = "tenant-net",
            NodeName = Node,
            MacAddress = Mac(random.Next(30) == 0 ? random.Next(40) : i),
            Inbound = random.Next(4) switch
            {
                0 => null,
                1 => new InterfaceInbound { Average = Rate(random, 5, 100) },
                _ => new InterfaceInbound { Floor = Rate(random, 5, 120), Average = random.Next(2) == 0 ? null : Rate(random, 150, 400) },
            },
            Outbound = random.Next(3) switch
            {
                0 => null,
                1 => new InterfaceOutbound { Average = Rate(random, 5, 100) },
                _ => new InterfaceOutbound { Floor = Rate(random, 5, 120) },
            },
        },
    };

    private static InterfaceBandwidth Fixed(string name, string mac, string floor, int minutes) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "tenant-a", CreationTimestamp = T0.AddMinutes(minutes), Generation = 1 },
        Spec = new InterfaceBandwidthSpec { Network = "tenant-net", NodeName = Node, MacAddress = mac, Inbound = new InterfaceInbound { Floor = floor } },
    };

    private static string Mac(int i) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:00:{(i >> 8) & 0xFF:x2}:{i & 0xFF:x2}");

    private static string Rate(Random random, int minMbit, int maxMbit) => string.Create(CultureInfo.InvariantCulture, $"{random.Next(minMbit, maxMbit)}M");
}
