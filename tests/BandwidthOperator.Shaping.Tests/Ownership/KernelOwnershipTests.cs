using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Tests.Planning;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Tests.Ownership;

public class KernelOwnershipTests
{
    private static readonly IReadOnlyList<TcObject> LegacyTree = BridgeTree.Build(
        "br0", BitRate.Parse("1G"), null, [new FloorClass(3, MacAddress.Parse("52:54:00:00:00:01"), BitRate.Parse("100M"), BitRate.Parse("1G"))], NodePlanner.LeafOptions("pfifo"));

    [Fact]
    public void The_previous_layouts_tree_is_ours_with_everything_below_it_but_not_the_ingress_side()
    {
        var ingress = new Qdisc("br0", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions());
        var owned = KernelOwnership.LegacyRootTree([ingress, .. LegacyTree]);
        owned.ShouldBe(LegacyTree, ignoreOrder: true);
    }

    [Fact]
    public void A_root_htb_without_our_mark_is_not_ours()
    {
        var foreignRoot = new Qdisc("br0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2, 10));
        KernelOwnership.LegacyRootTree([foreignRoot, .. LegacyTree.Skip(1)]).ShouldBeEmpty();
        KernelOwnership.LegacyRootTree([]).ShouldBeEmpty();
    }

    [Fact]
    public void Foreign_ingress_filters_are_found_per_device_first_one_first()
    {
        var found = KernelOwnership.ForeignIngressFilters(
        [
            "filter parent 1: protocol all pref 1 bpf dev vnet3",
            "filter parent ffff:fff2 protocol all pref 3 bpf dev vnet3",
            "filter parent ffff:fff2 protocol all pref 4 bpf dev vnet3",
            "filter parent ffff: protocol ip pref 1 flower dev vnet30",
        ]);
        found.Count.ShouldBe(2);
        found["vnet3"].ShouldBe("filter parent ffff:fff2 protocol all pref 3 bpf dev vnet3");
        found["vnet30"].ShouldBe("filter parent ffff: protocol ip pref 1 flower dev vnet30");
    }

    [Fact]
    public void A_hook_with_a_foreign_filter_is_held_and_nothing_on_the_port_is_ours_but_the_previous_layouts_tbf()
    {
        var clsact = new Qdisc("vnet3", PortHook.QdiscHandle, TcHandle.Ingress, new ClsactQdiscOptions());
        var tbf = DeviceLimits.Tbf("vnet3", new Api.Validation.BandwidthLimits(null, BitRate.Parse("1G"), null, null))!;
        var foreign = "filter parent ffff:fff2 protocol all pref 3 bpf dev vnet3";

        KernelOwnership.HookHolder("vnet3", [clsact, tbf], foreign).ShouldNotBeNull().ShouldContain(foreign);
        KernelOwnership.PortObjects("vnet3", [clsact, tbf], foreign).ShouldBe([tbf]);
        KernelOwnership.HookHolder("vnet3", [clsact, tbf], null).ShouldBeNull();
        KernelOwnership.PortObjects("vnet3", [clsact, tbf], null).ShouldBe([tbf, clsact]);
    }

    [Fact]
    public void Our_ifbs_and_redirects_are_recognised_by_name()
    {
        KernelOwnership.TreeIfbs(7).ShouldBe(("bwin7", "bwout7"));
        KernelOwnership.TreeOf("bwout7").ShouldBe((Direction.Outbound, 7));
        KernelOwnership.TreeOf("bwoutx").ShouldBeNull();
        KernelOwnership.LegacyPortOf("bwi12").ShouldBe(12);
        KernelOwnership.LegacyPortOf("bwin12").ShouldBeNull();
        KernelOwnership.IsOurIfb("bwi12").ShouldBeTrue();
        KernelOwnership.IsOurIfb("ifb0").ShouldBeFalse();
        var redirect = PortHook.Redirect("vnet3", PortHook.EgressParent, "bwin7", []);
        KernelOwnership.IsOurHookRedirect(redirect).ShouldBeTrue();
        KernelOwnership.IsOurHookRedirect(redirect with { RedirectTo = "ifb0" }).ShouldBeFalse();
    }

    [Theory]
    [InlineData("bwin99", true, true, true)] // its bridge (ifindex 99) is gone
    [InlineData("bwin2", true, true, true)] // br0 is named by no network
    [InlineData("bwin2", false, true, false)] // … but the plan names only some bridges
    [InlineData("bwin3", true, true, false)] // br-bad belongs to an invalid network: left as it is
    [InlineData("bwin2", true, false, false)] // br0 is out of the plan's scope
    [InlineData("bwi7", true, true, true)] // the previous layout's IFB of br0's port vnet3
    [InlineData("bwi7", true, false, false)]
    [InlineData("bwi70", true, true, true)] // its port is gone
    [InlineData("bwi70", false, true, false)] // … but the plan names only some bridges
    [InlineData("eth0", true, true, false)] // not ours
    public void An_orphaned_ifb_is_removed_unless_its_bridge_is_left_alone(string device, bool pruneUnnamed, bool inScope, bool removed)
    {
        var kernel = FakeKernel.WithBridge("br0").Port("br0", "vnet3", 7, "52:54:00:00:00:01");
        kernel.Devices["br-bad"] = new DeviceFacts("br-bad", 3, true, null);
        var byIndex = kernel.Devices.Values.ToDictionary(d => d.IfIndex);

        KernelOwnership.RemovesOrphanIfb(device, byIndex, _ => false, new HashSet<string>(StringComparer.Ordinal) { "br-bad" }, pruneUnnamed, _ => inScope).ShouldBe(removed);
    }

    [Fact]
    public void A_bridges_devices_are_it_its_trees_ifbs_its_ports_and_their_previous_layout_ifbs()
    {
        var facts = FakeKernel.WithBridge("br0").Port("br0", "vnet3", 7, "52:54:00:00:00:01").Port("br0", "vnet4", 8, "52:54:00:00:00:02").Facts();
        KernelOwnership.DevicesOfBridge(facts, "br0").Order(StringComparer.Ordinal).ShouldBe(["br0", "bwi7", "bwi8", "bwin2", "bwout2", "vnet3", "vnet4"]);
    }
}
