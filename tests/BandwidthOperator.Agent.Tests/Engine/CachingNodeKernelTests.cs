using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using Microsoft.Extensions.Time.Testing;

namespace BandwidthOperator.Agent.Tests.Engine;

/// <summary>The cached kernel view (docs/architecture.md, "The kernel view") over a kernel in memory that counts what it is asked.</summary>
public sealed class CachingNodeKernelTests
{
    private static CountingKernel TwoBridges() => new CountingKernel()
        .Bridge("br-a", 10).Port("br-a", "va0", 11, "52:54:00:00:00:01").Port("br-a", "va1", 12)
        .Bridge("br-b", 20).Port("br-b", "vb0", 21, "52:54:00:00:00:02");

    private static CachingNodeKernel Watched(CountingKernel inner, TimeProvider? time = null) => new(inner, time) { Watched = true };

    private static TcChange TcOn(CountingKernel k, string device, uint sender = 0) => new(k.IfIndex(device), device, TcObjectType.Class, false, SenderPortId: sender);

    [Fact]
    public void A_second_read_with_no_notification_asks_the_kernel_nothing_and_returns_the_same_facts()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);

        var first = view.ReadFacts(["br-a"]);
        var reads = inner.KernelReads;
        var second = view.ReadFacts(["br-a"]);

        reads.ShouldBeGreaterThan(0);
        inner.KernelReads.ShouldBe(reads);
        second.ShouldBeSameAs(first);
    }

    [Fact]
    public void A_read_back_names_the_written_objects_only_when_nothing_else_changed_since_the_facts_before()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        var before = view.ReadFacts(["br-a", "br-b"]);
        var root = new Qdisc("va0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(0x10));
        view.Apply([new TcOperation(TcVerb.Add, root)]).Succeeded.ShouldBeTrue();

        var after = view.ReadBackFacts(["br-a", "br-b"], wholeNode: true, before, out var readBack);

        readBack.ShouldNotBeNull().Keys.ShouldBe([root.Key]);
        readBack[root.Key].ShouldBe(root);
        after.ShouldNotBeSameAs(before);
        after.Observed.Objects.ShouldContain(root);

        // A second pass, and a notification for br-b (the other bridge in the read) before its read-back: no word.
        var leaf = new Qdisc("va0", TcHandle.Of(2, 0), TcHandle.Of(1, 1), new FifoQdiscOptions("pfifo"));
        view.Apply([new TcOperation(TcVerb.Add, leaf)]).Succeeded.ShouldBeTrue();
        view.Observe(TcOn(inner, "vb0", sender: 999));
        view.ReadBackFacts(["br-a", "br-b"], wholeNode: true, after, out var noWord);
        noWord.ShouldBeNull();

        // Facts that are not the last ones returned for these bridges: no word either.
        view.ReadBackFacts(["br-a", "br-b"], wholeNode: true, before, out var stale);
        stale.ShouldBeNull();
    }

    [Fact]
    public void A_tc_notification_for_one_bridge_rereads_that_bridge_only()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var (devices, fdbs, dumps) = (inner.DeviceReads, inner.FdbReads, inner.TcReads.Count);

        view.Observe(TcOn(inner, "va1"));
        var after = view.ReadFacts(["br-a", "br-b"]);

        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-a", "va0", "va1"], "only br-a's devices are dumped again");
        inner.DeviceReads.ShouldBe(devices, "a tc change does not touch the links");
        inner.FdbReads.ShouldBe(fdbs, "nor the forwarding databases");
        after.Devices.Keys.ShouldContain("vb0");
    }

    [Fact]
    public void A_notification_for_a_bridge_device_itself_rereads_that_bridge()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var dumps = inner.TcReads.Count;

        view.Observe(TcOn(inner, "br-b"));
        view.ReadFacts(["br-a", "br-b"]);

        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-b", "vb0"]);
    }

    [Fact]
    public void An_fdb_notification_rereads_that_bridges_forwarding_database_only()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        var before = view.ReadFacts(["br-a", "br-b"]);
        var (devices, fdbs, dumps) = (inner.DeviceReads, inner.FdbReads, inner.TcReads.Count);
        inner.Fdb["br-b"][Api.Quantities.MacAddress.Parse("52:54:00:00:00:03")] = "vb0";

        view.Observe(new TcChange(20, "br-b", TcObjectType.IfbLink, false) { Fdb = true });
        var after = view.ReadFacts(["br-a", "br-b"]);

        inner.FdbReads.ShouldBe(fdbs + 1);
        inner.TcReads.Count.ShouldBe(dumps);
        inner.DeviceReads.ShouldBe(devices);
        before.PortOf("br-b", Api.Quantities.MacAddress.Parse("52:54:00:00:00:03")).ShouldBeNull();
        after.PortOf("br-b", Api.Quantities.MacAddress.Parse("52:54:00:00:00:03")).ShouldBe("vb0");
    }

    [Fact]
    public void A_port_added_to_a_bridge_is_read_after_the_link_notification()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var dumps = inner.TcReads.Count;
        inner.Port("br-b", "vb1", 22);

        view.Observe(new TcChange(22, "vb1", TcObjectType.IfbLink, false) { Link = true });
        var after = view.ReadFacts(["br-a", "br-b"]);

        after.Devices["vb1"].Master.ShouldBe("br-b");
        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-b", "vb0", "vb1"], "br-b's devices changed; br-a's did not");
    }

    [Fact]
    public void Our_own_changes_are_not_notifications_but_what_we_applied_is_read_back_object_by_object()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var dumps = inner.TcReads.Count;
        var q = new Qdisc("va0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2));

        view.Apply([new TcOperation(TcVerb.Add, q)]);
        view.Observe(TcOn(inner, "va0", sender: CountingKernel.OwnPort));
        var after = view.ReadFacts(["br-a", "br-b"]);
        view.ReadFacts(["br-a", "br-b"]);

        inner.TcReads.Count.ShouldBe(dumps, "no dump: the written object is read back alone, then nothing");
        inner.ObjectReads.ShouldHaveSingleItem().ShouldBe([q.Key]);
        after.Observed.Objects.ShouldContain(q);
    }

    [Fact]
    public void A_written_object_the_kernel_does_not_hold_makes_the_bridge_dumped_again()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var dumps = inner.TcReads.Count;
        var q = new Qdisc("va0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2));
        view.Apply([new TcOperation(TcVerb.Add, q)]);
        inner.Foreign(objects => objects.Remove(q.Key));

        var after = view.ReadFacts(["br-a", "br-b"]);

        inner.ObjectReads.ShouldHaveSingleItem();
        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-a", "va0", "va1"]);
        after.Observed.Objects.ShouldNotContain(q);
    }

    [Fact]
    public void A_pass_that_deletes_dumps_the_bridges_it_touched_again()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        var q = new Qdisc("vb0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2));
        view.Apply([new TcOperation(TcVerb.Add, q)]);
        view.ReadFacts(["br-a", "br-b"]);
        var dumps = inner.TcReads.Count;

        view.Apply([new TcOperation(TcVerb.Delete, q)]);
        var after = view.ReadFacts(["br-a", "br-b"]);

        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-b", "vb0"]);
        after.Observed.Objects.ShouldNotContain(q);
    }

    [Fact]
    public void Lost_notifications_drop_everything()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);
        view.ReadFacts(["br-a", "br-b"]);
        var (devices, dumps) = (inner.DeviceReads, inner.TcReads.Count);

        view.Observe(new TcChange(0, null, TcObjectType.Qdisc, false, Overrun: true));
        view.ReadFacts(["br-a", "br-b"]);

        inner.DeviceReads.ShouldBe(devices + 1);
        inner.TcReads.Count.ShouldBe(dumps + 1);
        inner.TcReads[^1].ShouldBe(["br-a", "br-b", "va0", "va1", "vb0"]);
    }

    [Fact]
    public void Parts_older_than_the_max_age_are_read_again_without_a_notification()
    {
        var inner = TwoBridges();
        var time = new FakeTimeProvider();
        using var view = Watched(inner, time);
        view.MaxAge = TimeSpan.FromMinutes(5);
        view.ReadFacts(["br-a"]);
        var reads = inner.KernelReads;

        time.Advance(TimeSpan.FromMinutes(4));
        view.ReadFacts(["br-a"]);
        inner.KernelReads.ShouldBe(reads);

        time.Advance(TimeSpan.FromMinutes(2));
        view.ReadFacts(["br-a"]);
        inner.KernelReads.ShouldBeGreaterThan(reads);
    }

    [Fact]
    public void Until_notifications_flow_every_read_asks_the_kernel()
    {
        var inner = TwoBridges();
        using var view = new CachingNodeKernel(inner);

        view.ReadFacts(["br-a"]);
        var reads = inner.KernelReads;
        view.ReadFacts(["br-a"]);

        inner.KernelReads.ShouldBe(2 * reads);
    }

    [Fact]
    public void A_scoped_read_dumps_only_the_named_bridges_devices()
    {
        var inner = TwoBridges();
        using var view = Watched(inner);

        view.ReadFacts(["br-b"], wholeNode: false);

        inner.TcReads.ShouldHaveSingleItem().ShouldBe(["br-b", "vb0"]);
    }
}
