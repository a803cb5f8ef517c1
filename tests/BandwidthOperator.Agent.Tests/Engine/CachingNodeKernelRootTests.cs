using System.Diagnostics;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Tests.Engine;

/// <summary>
/// The cached kernel view on a real kernel, in a namespace of its own: the tc monitor's notifications
/// keep it current, so a reconcile with nothing changed asks the kernel nothing, and a foreign change
/// (another process's <c>tc</c>) is still seen and repaired.
/// </summary>
[Collection(EndToEnd.KernelCollection.Name)]
public sealed class CachingNodeKernelRootTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static NodeRequest Request(int interfaces = 1) => new(
        "node-1",
        [new BridgeNetwork
        {
            Metadata = new() { Name = "net", Uid = "uid-net", ResourceVersion = "1", Generation = 1 },
            Spec = new() { Bridge = "br0", Inbound = new() { Average = "1G" } },
        }],
        [.. Enumerable.Range(0, interfaces).Select(i => new InterfaceBandwidth
        {
            Metadata = new() { Name = $"vm-{i}", NamespaceProperty = "ns", Uid = $"uid-vm-{i}", ResourceVersion = "1", Generation = 1 },
            Spec = new() { Network = "net", NodeName = "node-1", MacAddress = $"52:54:00:12:34:{i:x2}", Inbound = new() { Floor = "10M" } },
        })]);

    private static NetworkNamespace Bridge()
    {
        var ns = NetworkNamespace.Create("kview");
        ns.IpBatch(["link add br0 type bridge", "link set br0 up", "link add vg0 type veth peer name vp0", "link set vg0 master br0 up"]);
        return ns;
    }

    [RootFact]
    public void Adding_one_interface_reads_nothing_back_and_the_view_matches_a_full_dump()
    {
        using var ns = Bridge();
        using var kernel = NetlinkNodeKernel.Open(ns.Path);
        using var view = new CachingNodeKernel(kernel) { Watched = true };
        using var monitor = TcMonitor.Start(ns.Path, view.Observe);
        var engine = new NodeConverger(view);
        engine.Converge(Request(3)).Converged.ShouldBeTrue();
        Until(() =>
        {
            var reads = kernel.KernelReads;
            engine.Converge(Request(3));
            return kernel.KernelReads == reads;
        }).ShouldBeTrue("a reconcile with nothing changed still read the kernel");

        var (before, verified, appended) = (kernel.KernelReads, engine.PassesVerified, engine.PlansAppended);
        var result = engine.Converge(Request(4));

        result.Converged.ShouldBeTrue();
        var writes = result.Applied.ShouldNotBeNull().KernelWrites;
        writes.ShouldBeInRange(1, 4);
        (kernel.KernelReads - before).ShouldBe(0, "the devices are named from the view's links, and each written object comes back as the kernel's echo with its ack: no dump, no get");
        engine.PassesVerified.ShouldBe(verified + 1, "the echoed objects verified the pass object by object");
        engine.PlansAppended.ShouldBe(appended + 1, "the newcomer was planned alone (NodePlanner.PlanAppended), not the whole bridge");
        NodePlanner.Plan(Request(4), kernel.ReadFacts(["br0"])).Operations.ShouldBeEmpty("the whole pipeline on a fresh read of the kernel finds nothing left to do");
        view.ReadFacts(["br0"]).Observed.Objects.ShouldBe(kernel.ReadFacts(["br0"]).Observed.Objects, "the patched view is what a full dump says");
    }

    [RootFact]
    public void A_foreign_tc_change_on_our_ifb_is_repaired_with_the_cache_on()
    {
        using var ns = Bridge();
        using var kernel = NetlinkNodeKernel.Open(ns.Path);
        using var view = new CachingNodeKernel(kernel) { Watched = true };
        using var monitor = TcMonitor.Start(ns.Path, view.Observe);
        var engine = new NodeConverger(view);
        var request = Request();
        engine.Converge(request).Converged.ShouldBeTrue();
        var ifb = kernel.ReadDevices().Keys.Single(d => d.StartsWith("bwin", StringComparison.Ordinal));

        // The kernel announces some consequences of our changes by itself a moment later (an IFB's carrier):
        // once they are in, a reconcile with nothing changed reads and writes nothing.
        var quiet = Until(() =>
        {
            var reads = kernel.KernelReads;
            return engine.Converge(request).Applied is null && kernel.KernelReads == reads;
        });
        quiet.ShouldBeTrue("a reconcile with nothing changed still read the kernel");

        var invalidations = view.Invalidations;
        ns.Tc("class", "change", "dev", ifb, "parent", "1:1", "classid", "1:3", "htb", "rate", "1mbit", "ceil", "1gbit");
        Until(() => view.Invalidations > invalidations).ShouldBeTrue("the monitor reported the foreign change");

        var repaired = engine.Converge(request);

        repaired.Converged.ShouldBeTrue();
        repaired.Applied.ShouldNotBeNull().KernelWrites.ShouldBeGreaterThan(0);
        ns.Tc("class", "show", "dev", ifb, "classid", "1:3").ShouldContain("rate 10Mbit");
    }

    private static bool Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }
}
