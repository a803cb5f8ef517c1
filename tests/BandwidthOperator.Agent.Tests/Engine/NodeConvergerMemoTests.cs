using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Tests.Engine;

/// <summary>
/// The engine over the cached kernel view: a reconcile with nothing changed reads and writes nothing and
/// does not plan; a change of the request or of the kernel (ours or foreign) plans again and repairs.
/// </summary>
public sealed class NodeConvergerMemoTests
{
    private static CountingKernel Node() => new CountingKernel()
        .Bridge("br-a", 10).Port("br-a", "va0", 11, "52:54:00:00:00:01").Port("br-a", "va1", 12, "52:54:00:00:00:02");

    private static BridgeNetwork Network(string rv = "1") => new()
    {
        Metadata = new() { Name = "net-a", Uid = "uid-net-a", ResourceVersion = rv, Generation = 1 },
        Spec = new() { Bridge = "br-a", Inbound = new() { Average = "1G" } },
    };

    private static InterfaceBandwidth Interface(string name, string mac, string floor, string rv = "1") => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "ns", Uid = "uid-" + name, ResourceVersion = rv, Generation = 1 },
        Spec = new() { Network = "net-a", NodeName = "node-1", MacAddress = mac, Inbound = new() { Floor = floor } },
    };

    private static NodeRequest Request(params InterfaceBandwidth[] interfaces) => new("node-1", [Network()], interfaces);

    private static (CountingKernel Inner, CachingNodeKernel View, NodeConverger Engine) Converged(NodeRequest request)
    {
        var inner = Node();
        var view = new CachingNodeKernel(inner) { Watched = true };
        var engine = new NodeConverger(view);
        engine.Converge(request).Converged.ShouldBeTrue();
        return (inner, view, engine);
    }

    [Fact]
    public void A_reconcile_with_nothing_changed_reads_nothing_writes_nothing_and_does_not_plan()
    {
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"));
        var (inner, view, engine) = Converged(request);
        using var _ = view;
        var (reads, writes, plans) = (inner.KernelReads, inner.KernelWrites, engine.PlansMade);

        var again = engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));

        inner.KernelReads.ShouldBe(reads);
        inner.KernelWrites.ShouldBe(writes);
        engine.PlansMade.ShouldBe(plans);
        engine.PlansReused.ShouldBeGreaterThan(0);
        again.Applied.ShouldBeNull();
        again.Interfaces.ShouldHaveSingleItem().ClassId.ShouldNotBeNull();
    }

    [Fact]
    public void A_new_resource_version_plans_again_without_reading_the_kernel()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var (devices, fdbs, dumps, plans) = (inner.DeviceReads, inner.FdbReads, inner.TcReads.Count, engine.PlansMade);

        var result = engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "20M", rv: "2")));

        result.Converged.ShouldBeTrue();
        engine.PlansMade.ShouldBeGreaterThan(plans);
        result.Applied.ShouldNotBeNull().KernelWrites.ShouldBeGreaterThan(0);
        inner.TcReads.Count.ShouldBe(dumps, "the plan used the cached view; the read-back asked for the written objects only");
        inner.ObjectReads.ShouldNotBeEmpty();
        (inner.DeviceReads, inner.FdbReads).ShouldBe((devices, fdbs));
        inner.Objects.OfType<HtbClass>().ShouldContain(c => c.Device.StartsWith("bwin", StringComparison.Ordinal) && c.Rate.BitsPerSecond == 20_000_000);
    }

    [Fact]
    public void A_foreign_change_notified_for_the_bridge_is_read_and_repaired()
    {
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"));
        var (inner, view, engine) = Converged(request);
        using var _ = view;
        var ifb = inner.Devices.Keys.Single(d => d.StartsWith("bwin", StringComparison.Ordinal));
        var floorClass = inner.Objects.OfType<HtbClass>().Single(c => c.Device == ifb && c.Handle == TcHandle.Of(1, 3));

        // Another tool deletes our class; the monitor reports it (sent from someone else's socket).
        inner.Foreign(objects => objects.Remove(floorClass.Key));
        view.Observe(new TcChange(inner.IfIndex(ifb), ifb, TcObjectType.Class, Deleted: true, SenderPortId: 999));
        var reads = inner.KernelReads;
        var result = engine.Converge(request);

        inner.KernelReads.ShouldBeGreaterThan(reads);
        result.Applied.ShouldNotBeNull().KernelWrites.ShouldBeGreaterThan(0);
        result.Converged.ShouldBeTrue();
        inner.Objects.ShouldContain(floorClass);
    }

    [Fact]
    public void A_foreign_change_nobody_notified_is_not_seen_until_the_bridge_is_refreshed()
    {
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"));
        var (inner, view, engine) = Converged(request);
        using var _ = view;
        var ifb = inner.Devices.Keys.Single(d => d.StartsWith("bwin", StringComparison.Ordinal));
        var floorClass = inner.Objects.OfType<HtbClass>().Single(c => c.Device == ifb && c.Handle == TcHandle.Of(1, 3));
        inner.Foreign(objects => objects.Remove(floorClass.Key));

        engine.Converge(request).Applied.ShouldBeNull("the cache answers: no notification, no read");
        view.Refresh(["br-a"]);
        engine.Converge(request).Applied.ShouldNotBeNull().KernelWrites.ShouldBeGreaterThan(0);
        inner.Objects.ShouldContain(floorClass);
    }

    [Fact]
    public void Adding_one_interface_reads_only_the_read_back_and_writes_a_few_requests()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var (devices, fdbs, dumps, writes) = (inner.DeviceReads, inner.FdbReads, inner.TcReads.Count, inner.KernelWrites);

        var result = engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M")));

        result.Converged.ShouldBeTrue();
        (inner.KernelWrites - writes).ShouldBeLessThanOrEqualTo(4);
        inner.TcReads.Count.ShouldBe(dumps, "no dump");
        inner.ObjectReads.ShouldHaveSingleItem().Count.ShouldBe((int)(inner.KernelWrites - writes), "each written object read back once");
        (inner.DeviceReads, inner.FdbReads).ShouldBe((devices, fdbs));
    }

    [Fact]
    public void Adding_one_interface_is_verified_object_by_object_without_a_second_plan()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var (writes, plans, verified) = (inner.KernelWrites, engine.PlansMade, engine.PassesVerified);
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M"));

        var result = engine.Converge(request);

        result.Converged.ShouldBeTrue();
        result.Plan.Operations.ShouldNotBeEmpty();
        result.Plan.Operations.ShouldAllBe(op => op.Verb != TcVerb.Delete);
        (inner.KernelWrites - writes).ShouldBeLessThanOrEqualTo(4);
        engine.PlansMade.ShouldBe(plans + 1, "the plan only: the read-back is compared object by object");
        engine.PassesVerified.ShouldBe(verified + 1);

        // What a full plan on the kernel as it now is says: nothing to do, and the same outcomes as reported.
        var full = NodePlanner.Plan(request, inner.ReadFacts(["br-a"], wholeNode: false));
        full.Operations.ShouldBeEmpty();
        result.Interfaces.ShouldBe(full.Interfaces);

        // The memo holds the kernel as read back: the next reconcile reads nothing and does not plan.
        var (reads, plansAfter) = (inner.KernelReads, engine.PlansMade);
        var again = engine.Converge(request);
        again.Applied.ShouldBeNull();
        again.Interfaces.ShouldBe(full.Interfaces);
        (inner.KernelReads, engine.PlansMade).ShouldBe((reads, plansAfter));
    }

    [Fact]
    public void Adding_one_as_the_reconciler_does_plans_the_newcomer_alone_once_and_the_plan_stands_after_its_status_write()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var (plans, appended, caughtUp, reused) = (engine.PlansMade, engine.PlansAppended, engine.PlansCaughtUp, engine.PlansReused);
        var newcomer = Interface("vm-b", "52:54:00:00:00:02", "10M");

        // 1. Plan (class IDs first), 2. the class ID written to the status (a new resourceVersion), 3. converge.
        var planned = engine.PlanOnly(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), newcomer));
        var id = planned.Interfaces.Single(i => i.Ref.Name == "vm-b").ClassId.ShouldNotBeNull();
        var stored = Interface("vm-b", "52:54:00:00:00:02", "10M", rv: "2");
        stored.Status = new() { ClassId = id };
        var result = engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), stored));

        result.Converged.ShouldBeTrue();
        result.Plan.ShouldBeSameAs(planned, "the status caught up with the plan: the plan stands");
        (engine.PlansMade, engine.PlansAppended, engine.PlansCaughtUp).ShouldBe((plans + 1, appended + 1, caughtUp + 1), "one plan, of the newcomer alone");
        NodePlanner.Plan(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), stored), inner.ReadFacts(["br-a"], wholeNode: false)).Operations.ShouldBeEmpty();

        // The watch event of the status write brings the same objects: nothing to plan.
        engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), stored)).Applied.ShouldBeNull();
        engine.PlansMade.ShouldBe(plans + 1);
        engine.PlansReused.ShouldBeGreaterThan(reused);

        // A status the plan did not give, or a spec changed with it, is planned again.
        var other = Interface("vm-b", "52:54:00:00:00:02", "20M", rv: "3");
        other.Status = new() { ClassId = id };
        engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), other)).Converged.ShouldBeTrue();
        engine.PlansCaughtUp.ShouldBe(caughtUp + 1);
        engine.PlansMade.ShouldBe(plans + 2);
    }

    [Fact]
    public void A_written_object_read_back_different_falls_back_to_a_full_plan_that_reports_and_then_repairs_it()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M"));
        HtbClass? wanted = null;
        HtbClass? held = null;

        // The kernel holds one written class otherwise than asked (as a kernel that rounds a rate would).
        inner.AfterNextApply = ops => inner.Foreign(objects =>
        {
            wanted = ops.Select(op => op.Target).OfType<HtbClass>().First();
            held = wanted with { Rate = wanted.Rate.BitsPerSecond == 1_000 ? new(2_000) : new(1_000) };
            objects[wanted.Key] = held;
        });
        var (plans, verified) = (engine.PlansMade, engine.PassesVerified);

        var result = engine.Converge(request);

        wanted.ShouldNotBeNull();
        TreeDiff.Matches(held!, wanted).ShouldBeFalse();
        engine.PassesVerified.ShouldBe(verified);
        engine.PlansMade.ShouldBeGreaterThanOrEqualTo(plans + 2, "the plan, then the read-back's full plan");
        result.Converged.ShouldBeFalse();
        result.Remaining.ShouldContain(op => op.Target.Equals(wanted));

        var repaired = engine.Converge(request);

        repaired.Converged.ShouldBeTrue();
        inner.Objects.ShouldContain(wanted);
    }

    [Fact]
    public void A_notification_for_the_bridge_between_the_pass_and_its_read_back_falls_back_to_a_full_plan()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M"));

        // Someone else's change on the bridge (its root qdisc), reported by the monitor while the pass ran.
        inner.AfterNextApply = _ => view.Observe(new TcChange(inner.IfIndex("br-a"), "br-a", TcObjectType.Qdisc, Deleted: false, SenderPortId: 999));
        var (plans, verified, dumps) = (engine.PlansMade, engine.PassesVerified, inner.TcReads.Count);

        var result = engine.Converge(request);

        result.Converged.ShouldBeTrue();
        engine.PassesVerified.ShouldBe(verified);
        engine.PlansMade.ShouldBe(plans + 2, "the plan, then the read-back's full plan");
        inner.TcReads.Count.ShouldBe(dumps + 1, "the bridge the notification named is dumped again");
    }

    [Fact]
    public void An_fdb_change_between_the_pass_and_its_read_back_falls_back_to_a_full_plan()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));
        using var _ = view;
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M"));
        inner.AfterNextApply = _ => view.Observe(new TcChange(inner.IfIndex("br-a"), "br-a", TcObjectType.Qdisc, Deleted: false, SenderPortId: 999) { Fdb = true });
        var (plans, verified) = (engine.PlansMade, engine.PassesVerified);

        engine.Converge(request).Converged.ShouldBeTrue();

        engine.PassesVerified.ShouldBe(verified);
        engine.PlansMade.ShouldBe(plans + 2);
    }

    [Fact]
    public void A_kernel_read_afresh_every_time_verifies_a_pass_with_a_full_plan()
    {
        var inner = Node();
        var engine = new NodeConverger(inner);
        engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"))).Converged.ShouldBeTrue();
        var (plans, devices, dumps) = (engine.PlansMade, inner.DeviceReads, inner.TcReads.Count);

        engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M"))).Converged.ShouldBeTrue();

        engine.PlansMade.ShouldBe(plans + 2);
        engine.PassesVerified.ShouldBe(0);
        (inner.DeviceReads - devices, inner.TcReads.Count - dumps).ShouldBe((2, 2), "one read for the plan, one for the read-back");
    }

    [Fact]
    public void A_pass_that_deletes_is_verified_with_a_full_plan()
    {
        var (inner, view, engine) = Converged(Request(Interface("vm-a", "52:54:00:00:00:01", "10M"), Interface("vm-b", "52:54:00:00:00:02", "10M")));
        using var _ = view;
        var (plans, verified) = (engine.PlansMade, engine.PassesVerified);

        var result = engine.Converge(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")));

        result.Converged.ShouldBeTrue();
        result.Plan.Operations.ShouldContain(op => op.Verb == TcVerb.Delete);
        engine.PassesVerified.ShouldBe(verified);
        engine.PlansMade.ShouldBe(plans + 2);
    }

    [Fact]
    public void A_kernel_read_afresh_every_time_always_plans()
    {
        var inner = Node();
        var engine = new NodeConverger(inner);
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"));
        engine.Converge(request).Converged.ShouldBeTrue();
        var plans = engine.PlansMade;

        engine.Converge(request);

        engine.PlansMade.ShouldBe(plans + 1);
        engine.PlansReused.ShouldBe(0);
    }

    [Fact]
    public void A_plan_scoped_to_a_bridge_is_not_taken_for_a_whole_node_plan_over_the_same_networks()
    {
        var request = Request(Interface("vm-a", "52:54:00:00:00:01", "10M"));
        var (_, view, engine) = Converged(request);
        using var _ = view;
        var plans = engine.PlansMade;

        engine.PlanOnly(request with { ScopeBridges = new HashSet<string>(["br-a"]) });
        engine.PlansMade.ShouldBe(plans + 1, "a scoped plan prunes nothing beyond its bridge: planned, not the whole node's memo");
        engine.PlanOnly(request with { ScopeBridges = new HashSet<string>(["br-a"]) });
        engine.PlansMade.ShouldBe(plans + 1, "the same scoped request again is memoised");
        engine.PlanOnly(request);
        engine.PlansMade.ShouldBe(plans + 1, "back to the whole node: its own memo, kept beside the scoped one");
    }

    [Theory]
    [InlineData(true, new[] { "br-a", "br-b", "va0", "va1", "vb0" })]
    [InlineData(false, new[] { "br-a", "va0", "va1" })]
    public void Only_a_plan_that_prunes_other_bridges_reads_their_objects(bool prune, string[] dumped)
    {
        var inner = Node().Bridge("br-b", 20).Port("br-b", "vb0", 21);
        var engine = new NodeConverger(inner);

        engine.PlanOnly(Request(Interface("vm-a", "52:54:00:00:00:01", "10M")) with { PruneUnnamedBridges = prune });

        inner.TcReads.ShouldHaveSingleItem().ShouldBe(dumped);
    }
}
