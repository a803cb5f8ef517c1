using System.Diagnostics;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Lab.Netns;
using Xunit.Abstractions;

namespace BandwidthOperator.Netlink.Tests;

/// <summary>Kernel tests (root): each makes its own namespace with a bridge, applies over rtnetlink, and reads back with iproute2's tc.</summary>
public sealed class TcKernelTests(ITestOutputHelper output)
{
    private static readonly TcHandle Qdisc1 = DesignTree.Qdisc1;

    private static List<TcObject> DesignTreeWithOneFloor() =>
        [.. DesignTree.Base(), .. DesignTree.Floor(3, DesignTree.Mac, BitRate.Parse("40M"))];

    [Fact]
    public void Design_tree_applies_and_reads_back_with_tc()
    {
        using var lab = BridgeLab.Create("tree");
        var ops = DesignTree.Adds(DesignTreeWithOneFloor());

        var result = lab.Kernel.Apply(ops);

        result.Error.ShouldBeNull();
        result.Succeeded.ShouldBe(ops.Count);
        result.KernelWrites.ShouldBe(ops.Count);

        var qdiscs = lab.Tc("qdisc", "show", "dev", "br0");
        qdiscs.ShouldContain("qdisc htb 1: root");
        qdiscs.ShouldContain("r2q 10 default 0x2");
        qdiscs.ShouldContain("qdisc pfifo 2: parent 1:2 limit 100p");
        qdiscs.ShouldContain("qdisc pfifo 3: parent 1:3 limit 100p");

        var classes = lab.Tc("-s", "-d", "class", "show", "dev", "br0");
        classes.ShouldContain("class htb 1:1 root rate 100Mbit ceil 100Mbit linklayer ethernet burst 64Kb/1 mpu 0b cburst 64Kb/1 mpu 0b level 7");
        classes.ShouldContain("class htb 1:2 parent 1:1 leaf 2: prio 0 quantum 8000 rate 60Mbit ceil 100Mbit linklayer ethernet burst 64Kb/1");
        classes.ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 0 quantum 8000 rate 40Mbit ceil 100Mbit linklayer ethernet burst 64Kb/1");

        var filters = lab.Tc("filter", "show", "dev", "br0");
        filters.ShouldContain("filter parent 1: protocol all pref 1 u32 chain 0 fh 1: ht divisor 256");
        filters.ShouldContain("fh 800::1 order 1 key ht 800 bkt 0 link 1:");
        filters.ShouldContain("hash mask 000000ff at -12");
        filters.ShouldContain("fh 1:1:4 order 4 key ht 1 bkt 1 *flowid 1:3");
        filters.ShouldContain("match 00005254/0000ffff at -16");
        filters.ShouldContain("match 006b3c01/ffffffff at -12");
    }

    [Fact]
    public void Dump_returns_exactly_what_was_applied()
    {
        using var lab = BridgeLab.Create("dump");
        var objects = DesignTreeWithOneFloor();
        lab.Kernel.Apply(DesignTree.Adds(objects)).ThrowIfFailed();

        var snapshot = lab.Kernel.Dump(["br0", "missing0"]);

        snapshot.Objects.ShouldBe(objects.OrderBy(o => o.Key).ToList());
        snapshot.ForeignObjects.ShouldBeEmpty();
        snapshot.Counters.Keys.ShouldContain(new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), default, default, default, default, 0).Key);
    }

    [Fact]
    public void Mac_filter_classifies_traffic_and_a_rate_change_keeps_the_byte_counter()
    {
        using var lab = BridgeLab.Create("chg");
        lab.Kernel.Apply(DesignTree.Adds(DesignTreeWithOneFloor())).ThrowIfFailed();
        lab.Ns.Ip("neigh", "add", "10.9.0.2", "lladdr", DesignTree.Mac.ToString(), "dev", "br0", "nud", "permanent");
        lab.Ns.Exec("bash", "-c", "for i in 1 2 3; do echo hello > /dev/udp/10.9.0.2/9; done");
        var floorKey = new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), default, default, default, default, 0).Key;
        var before = lab.Kernel.Dump(["br0"]).Counters[floorKey];
        before.Packets.ShouldBeGreaterThanOrEqualTo(3ul, "datagrams to the floored MAC go through class 1:3");

        var changed = new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), BitRate.Parse("50M"), BitRate.Parse("90M"), DesignTree.Burst, DesignTree.Burst, 9000);
        var result = lab.Kernel.Apply([new TcOperation(TcVerb.Change, changed)]);

        result.Error.ShouldBeNull();
        var after = lab.Kernel.Dump(["br0"]);
        after.Objects.ShouldContain(changed);
        after.Counters[floorKey].Bytes.ShouldBeGreaterThanOrEqualTo(before.Bytes);
        after.Counters[floorKey].Packets.ShouldBeGreaterThanOrEqualTo(before.Packets);
        var tc = lab.Tc("-s", "-d", "class", "show", "dev", "br0", "classid", "1:3");
        tc.ShouldContain("quantum 9000 rate 50Mbit ceil 90Mbit");
        tc.ShouldContain($"Sent {before.Bytes} bytes {before.Packets} pkt");
    }

    [Fact]
    public void Deleting_node_leaf_and_class_removes_them()
    {
        using var lab = BridgeLab.Create("del");
        var floor = DesignTree.Floor(3, DesignTree.Mac, BitRate.Parse("40M"));
        lab.Kernel.Apply(DesignTree.Adds([.. DesignTree.Base(), .. floor])).ThrowIfFailed();

        var deletes = floor.AsEnumerable().Reverse().Select(o => new TcOperation(TcVerb.Delete, o)).ToList();
        var result = lab.Kernel.Apply(deletes);

        result.Error.ShouldBeNull();
        result.Succeeded.ShouldBe(3);
        lab.Tc("class", "show", "dev", "br0").ShouldNotContain("1:3");
        lab.Tc("qdisc", "show", "dev", "br0").ShouldNotContain("pfifo 3:");
        lab.Tc("filter", "show", "dev", "br0").ShouldNotContain("flowid 1:3");
        lab.Kernel.Dump(["br0"]).Objects.ShouldBe(DesignTree.Base().OrderBy(o => o.Key).ToList());
    }

    [Fact]
    public void Htb_class_with_64bit_rate_reads_back_with_tc()
    {
        using var lab = BridgeLab.Create("r64");
        var root = new HtbClass("br0", TcHandle.Of(1, 1), Qdisc1, BitRate.Parse("40G"), BitRate.Parse("40G"), new ByteSize(1024 * 1024), new ByteSize(1024 * 1024), 200_000);
        var ten = new HtbClass("br0", TcHandle.Of(1, 10), TcHandle.Of(1, 1), BitRate.Parse("10G"), BitRate.Parse("40G"), new ByteSize(256 * 1024), new ByteSize(1024 * 1024), 200_000);
        var ops = DesignTree.Adds([new Qdisc("br0", Qdisc1, TcHandle.Root, new HtbQdiscOptions(2)), root, ten]);

        lab.Kernel.Apply(ops).ThrowIfFailed();

        var tc = lab.Tc("class", "show", "dev", "br0");
        tc.ShouldContain("class htb 1:1 root rate 40Gbit ceil 40Gbit burst");
        tc.ShouldContain("class htb 1:a parent 1:1 prio 0 rate 10Gbit ceil 40Gbit burst");
        var dumped = lab.Kernel.Dump(["br0"]).Objects.OfType<HtbClass>().ToList();
        dumped.ShouldBe([root, ten]);
    }

    [Fact]
    public void Tbf_with_peakrate_reads_back_with_tc()
    {
        using var lab = BridgeLab.Create("tbf");
        var tbf = new Qdisc("veth0", Qdisc1, TcHandle.Root, new TbfQdiscOptions(BitRate.Parse("1G"), new ByteSize(256 * 1024), new ByteSize(1_000_000), BitRate.Parse("2G"), new ByteSize(2048)));
        var fast = new Qdisc("veth1", Qdisc1, TcHandle.Root, new TbfQdiscOptions(BitRate.Parse("40G"), new ByteSize(1024 * 1024), new ByteSize(4_000_000)));

        lab.Kernel.Apply(DesignTree.Adds([tbf, fast])).ThrowIfFailed();

        var tc = lab.Tc("qdisc", "show", "dev", "veth0");
        tc.ShouldContain("qdisc tbf 1: root");
        tc.ShouldContain("rate 1Gbit burst 262125b peakrate 2Gbit minburst 2000b");
        lab.Tc("qdisc", "show", "dev", "veth1").ShouldContain("rate 40Gbit burst");
        var snapshot = lab.Kernel.Dump(["veth0", "veth1"]);
        snapshot.Objects.OfType<Qdisc>().Where(q => q.Kind == "tbf").ToList().ShouldBe([tbf, fast]);
        snapshot.ForeignObjects.ShouldBeEmpty("tbf's own class is part of the qdisc");
    }

    [Fact]
    public void Tbf_with_a_burst_longer_than_the_kernels_tick_limit_reads_back()
    {
        using var lab = BridgeLab.Create("tbfl");
        var slow = new Qdisc("veth0", Qdisc1, TcHandle.Root, new TbfQdiscOptions(BitRate.Parse("1M"), new ByteSize(1024 * 1024), new ByteSize(2_000_000)));

        lab.Kernel.Apply([new TcOperation(TcVerb.Add, slow)]).ThrowIfFailed();

        lab.Tc("qdisc", "show", "dev", "veth0").ShouldContain("rate 1Mbit burst 1Mb");
        lab.Kernel.Dump(["veth0"]).Objects.ShouldContain(slow);
    }

    [Fact]
    public void Ingress_redirect_to_a_new_ifb_applies_in_one_batch()
    {
        using var lab = BridgeLab.Create("ifb");
        var ingressHandle = TcHandle.Of(0xFFFF, 0);
        var ifb = new IfbLink("ifb0");
        var ingress = new Qdisc("veth0", ingressHandle, TcHandle.Ingress, new IngressQdiscOptions());
        var redirect = new U32Filter("veth0", ingressHandle, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], RedirectTo: "ifb0");
        var shaper = new Qdisc("ifb0", Qdisc1, TcHandle.Root, new TbfQdiscOptions(BitRate.Parse("1G"), new ByteSize(256 * 1024), new ByteSize(1_000_000)));

        var result = lab.Kernel.Apply(DesignTree.Adds([ifb, ingress, redirect, shaper]));

        result.Error.ShouldBeNull();
        result.Succeeded.ShouldBe(4);
        lab.Ns.Ip("-d", "link", "show", "ifb0").ShouldContain("state UNKNOWN");
        lab.Ns.Ip("-d", "link", "show", "ifb0").ShouldContain("ifb");
        lab.Tc("qdisc", "show", "dev", "veth0").ShouldContain("qdisc ingress ffff: parent ffff:fff1");
        var filters = lab.Tc("filter", "show", "dev", "veth0", "ingress");
        filters.ShouldContain("fh 800::1 order 1 key ht 800 bkt 0 terminal flowid");
        filters.ShouldContain("mirred (Egress Redirect to device ifb0) stolen");
        var snapshot = lab.Kernel.Dump(["veth0", "ifb0"]);
        snapshot.Objects.ShouldContain(ifb);
        snapshot.Objects.ShouldContain(ingress);
        snapshot.Objects.ShouldContain(redirect);
        snapshot.Objects.ShouldContain(shaper);
    }

    [Fact]
    public void Adding_an_existing_class_fails_with_operation_device_and_errno()
    {
        using var lab = BridgeLab.Create("err");
        var base_ = DesignTree.Base();
        lab.Kernel.Apply(DesignTree.Adds(base_)).ThrowIfFailed();
        var fresh = new HtbClass("br0", TcHandle.Of(1, 20), TcHandle.Of(1, 1), BitRate.Parse("1M"), BitRate.Parse("100M"), DesignTree.Burst, DesignTree.Burst, 8000);
        var duplicate = new TcOperation(TcVerb.Add, base_[1]);

        var result = lab.Kernel.Apply([new TcOperation(TcVerb.Add, fresh), duplicate]);

        result.Ok.ShouldBeFalse();
        result.Succeeded.ShouldBe(1);
        result.FailedOperation.ShouldBe(duplicate);
        result.Error!.Device.ShouldBe("br0");
        result.Error.Errno.ShouldBe(17);
        result.Error.Message.ShouldStartWith("tc class add dev br0 classid 1:1: File exists");
        output.WriteLine(result.Error.Message);
    }

    [Fact]
    public void A_failure_stops_the_plan_after_its_batch()
    {
        using var lab = BridgeLab.Create("stop");
        var base_ = DesignTree.Base();
        lab.Kernel.Apply(DesignTree.Adds(base_)).ThrowIfFailed();
        var ops = Enumerable.Range(0x10, 1500)
            .Select(i => new TcOperation(TcVerb.Add, new HtbClass("br0", TcHandle.Of(1, (ushort)i), TcHandle.Of(1, 1), BitRate.Parse("1M"), BitRate.Parse("100M"), DesignTree.Burst, DesignTree.Burst, 8000)))
            .ToList();
        ops[700] = new TcOperation(TcVerb.Add, base_[2]);

        var result = lab.Kernel.Apply(ops);

        result.Succeeded.ShouldBe(700);
        result.FailedOperation.ShouldBe(ops[700]);
        result.Error.ShouldNotBeNull().Message.ShouldStartWith("tc class add dev br0 classid 1:2: File exists");
        result.LaterErrors.ShouldBeEmpty();
        result.KernelWrites.ShouldBeGreaterThan(700);
        result.KernelWrites.ShouldBeLessThan(ops.Count, "batches after the failing one are not sent");
        var classes = lab.Tc("class", "show", "dev", "br0");
        classes.ShouldContain("class htb 1:10 parent 1:1");
        classes.ShouldNotContain($"class htb 1:{0x10 + 1499:x} parent 1:1");
    }

    [Fact]
    public void Kernel_refusal_carries_the_extended_ack_text()
    {
        using var lab = BridgeLab.Create("eack");
        lab.Kernel.Apply(DesignTree.Adds(DesignTree.Base())).ThrowIfFailed();
        var again = new TcOperation(TcVerb.Add, DesignTree.Base()[0]);
        var badDivisor = new TcOperation(TcVerb.Add, DesignTree.Table("br0", 2) with { Divisor = 300 });

        var exists = lab.Kernel.Apply([again]).Error.ShouldNotBeNull();
        var divisor = lab.Kernel.Apply([badDivisor]).Error.ShouldNotBeNull();

        output.WriteLine(exists.Message);
        output.WriteLine(divisor.Message);
        exists.KernelMessage.ShouldNotBeNullOrWhiteSpace();
        exists.Message.ShouldStartWith("tc qdisc add dev br0 root handle 1: htb: File exists (kernel: \"");
        divisor.Errno.ShouldBe(22);
        divisor.Message.ShouldStartWith("tc filter add dev br0 parent 1: prio 1 handle 2: u32: Invalid argument (kernel: \"");
        divisor.KernelMessage.ShouldNotBeNull().ShouldContain("ivisor");
    }

    [Fact]
    public void Probe_finds_htb_tbf_pfifo_and_not_sfq_or_fq_codel_and_leaves_nothing_behind()
    {
        using var lab = BridgeLab.Create("probe");

        var features = lab.Kernel.Probe();

        output.WriteLine(features.ToString());
        features.Ifb.ShouldBeTrue();
        features.Htb.ShouldBeTrue();
        features.Tbf.ShouldBeTrue();
        features.Pfifo.ShouldBeTrue();
        features.Bfifo.ShouldBeTrue();
        features.Ingress.ShouldBeTrue();
        features.Clsact.ShouldBeTrue();
        features.U32.ShouldBeTrue();
        features.Mirred.ShouldBeTrue();
        features.Sfq.ShouldBeFalse();
        features.FqCodel.ShouldBeFalse();
        features.BestLeafQdisc.ShouldBe("pfifo");
        lab.Kernel.Links().ShouldNotContain(l => l.Name.StartsWith("bwprobe", StringComparison.Ordinal));
        var writes = lab.Kernel.KernelWrites;
        lab.Kernel.Probe().ShouldBeSameAs(features);
        lab.Kernel.KernelWrites.ShouldBe(writes, "the result is cached");
    }

    [Fact]
    public void Batch_of_2000_floors_applies_in_one_call_and_reads_back()
    {
        using var lab = BridgeLab.Create("batch");
        var objects = DesignTree.Base();
        var ids = Enumerable.Range(3, 2000).Select(i => (uint)i).ToList();
        foreach (var id in ids)
        {
            objects.AddRange(DesignTree.Floor(id, new MacAddress(0x5254_0000_0000ul | id), BitRate.Parse("10k")));
        }

        var ops = DesignTree.Adds(objects);
        var clock = Stopwatch.StartNew();
        var result = lab.Kernel.Apply(ops);
        clock.Stop();

        output.WriteLine($"{ops.Count} operations applied in {clock.Elapsed.TotalMilliseconds:0.0} ms");
        result.Error.ShouldBeNull();
        result.Succeeded.ShouldBe(ops.Count);
        result.KernelWrites.ShouldBe(ops.Count);
        lab.Tc("class", "show", "dev", "br0").Split('\n').Count(l => l.StartsWith("class htb", StringComparison.Ordinal)).ShouldBe(2002);
        lab.Tc("qdisc", "show", "dev", "br0").Split('\n').Count(l => l.StartsWith("qdisc pfifo", StringComparison.Ordinal)).ShouldBe(2001);

        clock.Restart();
        var snapshot = lab.Kernel.Dump(["br0"]);
        clock.Stop();
        output.WriteLine($"dump of {snapshot.Objects.Count} objects in {clock.Elapsed.TotalMilliseconds:0.0} ms");
        snapshot.Objects.ShouldBe(objects.OrderBy(o => o.Key).ToList());
        var before = lab.Kernel.KernelWrites;
        lab.Kernel.Apply([]).KernelWrites.ShouldBe(0);
        lab.Kernel.KernelWrites.ShouldBe(before);
    }

    [Theory]
    [InlineData(3u)]
    [InlineData(0xFFFFu)]
    public void U32_node_handle_scheme_is_accepted_and_shown_by_tc(uint classId)
    {
        using var lab = BridgeLab.Create("hdl");
        var mac = MacAddress.Parse("52:54:00:6b:3c:c4");
        var htid = DesignTree.TableOf(classId);
        var objects = new List<TcObject>
        {
            new Qdisc("br0", Qdisc1, TcHandle.Root, new HtbQdiscOptions(2)),
            new HtbClass("br0", TcHandle.Of(1, 1), Qdisc1, BitRate.Parse("100M"), BitRate.Parse("100M"), DesignTree.Burst, DesignTree.Burst, 8000),
            DesignTree.Table("br0", htid),
            DesignTree.Link("br0", htid),
        };
        objects.AddRange(DesignTree.Floor(classId, mac, BitRate.Parse("1M")));

        lab.Kernel.Apply(DesignTree.Adds(objects)).ThrowIfFailed();

        var node = DesignTree.NodeHandle(classId, mac);
        var tc = lab.Tc("filter", "show", "dev", "br0");
        output.WriteLine(tc);
        tc.ShouldContain($"fh {U32Handle.Format(node)} order {U32Handle.Node(node)} key ht {htid:x} bkt c4 *flowid 1:{classId:x}");
        tc.ShouldContain($"fh {htid:x}: ht divisor 256");
        lab.Kernel.Dump(["br0"]).Objects.OfType<U32Filter>().ShouldContain(DesignTree.MacNode("br0", classId, mac));
    }

    [Fact]
    public void U32_node_handles_for_every_class_id_are_valid_and_unique()
    {
        var seen = new HashSet<(uint Table, uint Node)>();
        for (var id = 3u; id <= 0xFFFF; id++)
        {
            var handle = DesignTree.NodeHandle(id, DesignTree.Mac);
            var table = U32Handle.Htid(handle);
            var node = U32Handle.Node(handle);
            table.ShouldBeInRange(1u, 0x7FFu);
            node.ShouldBeInRange(1u, 0xFFFu);
            seen.Add((table, node)).ShouldBeTrue($"class {id} collides");
        }
    }

    [Fact]
    public void Link_helpers_find_devices_bridges_and_fdb_ports()
    {
        using var lab = BridgeLab.Create("link");
        var mac = DesignTree.Mac;
        lab.Ns.Exec("bridge", "fdb", "add", mac.ToString(), "dev", "veth0", "master", "static");

        lab.Kernel.IsBridge("br0").ShouldBeTrue();
        lab.Kernel.IsBridge("veth0").ShouldBeFalse();
        lab.Kernel.DeviceExists("veth1").ShouldBeTrue();
        lab.Kernel.DeviceExists("nope0").ShouldBeFalse();
        var index = lab.Kernel.IfIndex("veth0").ShouldNotBeNull();
        lab.Kernel.DeviceName(index).ShouldBe("veth0");
        lab.Kernel.FindBridgePort("br0", mac).ShouldBe("veth0");
        lab.Kernel.FindBridgePort("br0", MacAddress.Parse("52:54:00:00:00:99")).ShouldBeNull();

        lab.Kernel.CreateIfb("ifb7");
        lab.Kernel.Links().ShouldContain(l => l.Name == "ifb7" && l.Kind == "ifb" && l.IsUp);
        lab.Kernel.DeleteLink("ifb7");
        lab.Kernel.DeviceExists("ifb7").ShouldBeFalse();
    }

    [Fact]
    public void Fresh_bridge_dumps_its_default_qdisc_as_a_foreign_kind_with_handle_0()
    {
        using var lab = BridgeLab.Create("dflt");

        var snapshot = lab.Kernel.Dump(["br0"]);

        snapshot.Objects.ShouldBe([new Qdisc("br0", new TcHandle(0), TcHandle.Root, new OtherQdiscOptions("noqueue"))]);
    }

    [Fact]
    public void Replace_changes_a_leaf_qdisc_in_place()
    {
        using var lab = BridgeLab.Create("repl");
        var objects = DesignTreeWithOneFloor();
        lab.Kernel.Apply(DesignTree.Adds(objects)).ThrowIfFailed();
        var leaf = new Qdisc("br0", TcHandle.Of(3, 0), TcHandle.Of(1, 3), FifoQdiscOptions.Pfifo(250));

        lab.Kernel.Apply([new TcOperation(TcVerb.Replace, leaf)]).ThrowIfFailed();

        lab.Tc("qdisc", "show", "dev", "br0").ShouldContain("qdisc pfifo 3: parent 1:3 limit 250p");
        lab.Kernel.Dump(["br0"]).Objects.ShouldContain(leaf);
    }

    [Fact]
    public void Changing_the_htb_root_qdisc_is_refused_by_the_kernel_with_its_reason()
    {
        using var lab = BridgeLab.Create("hchg");
        lab.Kernel.Apply(DesignTree.Adds(DesignTree.Base())).ThrowIfFailed();

        var error = lab.Kernel.Apply([new TcOperation(TcVerb.Change, new Qdisc("br0", Qdisc1, TcHandle.Root, new HtbQdiscOptions(3)))]).Error;

        error.ShouldNotBeNull().Message.ShouldBe("tc qdisc change dev br0 root handle 1: htb: Invalid argument (kernel: \"Change operation not supported by specified qdisc\")");
    }

    [Fact]
    public void Clsact_filters_are_dumped_for_each_direction()
    {
        using var lab = BridgeLab.Create("clsact");
        var clsact = new Qdisc("veth0", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new ClsactQdiscOptions());
        var fromPort = new U32Filter("veth0", TcHandle.Of(0xFFFF, 0xFFF2), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], RedirectTo: "ifb1");
        var objects = new List<TcObject> { new IfbLink("ifb1"), clsact, fromPort };

        lab.Kernel.Apply(DesignTree.Adds(objects)).ThrowIfFailed();

        lab.Tc("qdisc", "show", "dev", "veth0").ShouldContain("qdisc clsact ffff: parent ffff:fff1");
        lab.Tc("filter", "show", "dev", "veth0", "ingress").ShouldContain("mirred (Egress Redirect to device ifb1) stolen");
        var dumped = lab.Kernel.Dump(["veth0", "ifb1"]).Objects;
        dumped.Where(o => o is not Qdisc { Handle.Value: 0 }).ShouldBe(objects.OrderBy(o => o.Key).ToList());
        dumped.OfType<Qdisc>().Where(q => q.Handle.Value == 0).Select(q => q.Kind).ShouldBe(["pfifo_fast", "noqueue"], "the kernel's defaults on ifb1 and veth0");
    }

    [Fact]
    public void Opening_in_a_namespace_leaves_the_calling_thread_in_its_own()
    {
        const string self = "/proc/thread-self/ns/net";
        var before = new FileInfo(self).LinkTarget;
        using var ns = NetworkNamespace.Create("open");

        using var byPath = TcKernel.Open(ns.Path);
        using var byName = TcKernel.Open(ns.Name);

        byPath.Links().Select(l => l.Name).ShouldBe(["lo"]);
        byName.Links().Select(l => l.Name).ShouldBe(["lo"]);
        new FileInfo(self).LinkTarget.ShouldBe(before);
    }
}
