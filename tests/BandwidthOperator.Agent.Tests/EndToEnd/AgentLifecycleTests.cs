using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Traffic;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// Admission across resources over time, an agent restart with changes made while it was away, and
/// dropped watches — the agent against the API-server double and a real kernel in a namespace.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentLifecycleTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    [RootFact]
    public async Task Of_three_floors_that_do_not_all_fit_the_oldest_two_are_admitted_and_deleting_one_admits_the_third()
    {
        await using var f = await AgentFixture.StartAsync(3, "lc1");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "40M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", Admitted, TimeSpan.FromSeconds(30));
        f.SeedInterface("vm-b", f.Topology.Guests[1], "40M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", Admitted, TimeSpan.FromSeconds(30));
        f.SeedInterface("vm-c", f.Topology.Guests[2], "40M");

        var c = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-c", o => Condition(o, "Admitted", "status") == "False", TimeSpan.FromSeconds(30));

        Condition(c, "Admitted", "reason").ShouldBe("FloorOvercommitted");
        Condition(c, "Admitted", "message").ShouldBe("floor 40M does not fit: 20M of tenant-net's 100M inbound average is left on node-a");
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 40Mbit");
        f.Classes().ShouldContain("class htb 1:4 parent 1:1 leaf 4: prio 1 rate 40Mbit");
        f.Classes().ShouldNotContain("class htb 1:5 ");

        f.Api.Delete(Ibw, "tenant-a", "vm-a").ShouldBeTrue();

        c = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-c", Admitted, TimeSpan.FromSeconds(30));
        Condition(c, "Admitted", "reason").ShouldBe("FloorAdmitted");
        ClassId(c).ShouldBe(3, "the lowest free class ID, freed by vm-a");
        ClassId(f.Api.Get(Ibw, "tenant-a", "vm-b")).ShouldBe(4);
        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:2 parent 1:1 leaf 2: prio 1 rate 19Mbit", StringComparison.Ordinal), "class 1:2 back to 100M − 80M − 1M (small packets)");
    }

    [RootFact]
    public async Task After_a_restart_with_changes_made_while_it_was_down_the_agent_converges_and_leaves_the_rest_untouched()
    {
        await using var f = await AgentFixture.StartAsync(3, "lc2");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", Admitted, TimeSpan.FromSeconds(30));
        f.SeedInterface("vm-b", f.Topology.Guests[1], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", Admitted, TimeSpan.FromSeconds(30));
        f.SeedInterface("vm-c", f.Topology.Guests[2], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-c", Admitted, TimeSpan.FromSeconds(30));
        var guestC = f.Topology.Guests[2];
        await TrafficRun.RunAsync(f.Topology.External, [FlowGroup.IPv4(guestC, 1)], TimeSpan.Zero, TimeSpan.FromSeconds(1));
        var cBytes = f.ClassBytes("1:5");
        cBytes.ShouldBeGreaterThan(1_000_000);

        await f.StopAgentAsync();
        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["spec"]!["inbound"]!["floor"] = "30M");
        f.Api.Delete(Ibw, "tenant-a", "vm-b").ShouldBeTrue();
        f.Classes().ShouldContain("class htb 1:4 ", Case.Sensitive, "nothing changes while the agent is away");
        await f.StartAgentAsync();

        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 30Mbit", StringComparison.Ordinal), "vm-a's floor raised");
        await AgentFixture.UntilAsync(() => !f.Classes().Contains("class htb 1:4 ", StringComparison.Ordinal), "vm-b's class removed");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => (long?)o?["status"]?["observedGeneration"] == 2 && Admitted(o) && ClassId(o) == 3, TimeSpan.FromSeconds(30));
        ClassId(f.Api.Get(Ibw, "tenant-a", "vm-c")).ShouldBe(5, "an untouched interface keeps its class ID");
        f.Classes().ShouldContain("class htb 1:5 parent 1:1 leaf 5: prio 1 rate 20Mbit");
        f.ClassBytes("1:5").ShouldBeGreaterThanOrEqualTo(cBytes, "class 1:5 was not recreated: its byte counter kept counting");
    }

    [RootFact]
    public async Task Dropped_watches_are_resumed_and_changes_made_meanwhile_are_applied()
    {
        await using var f = await AgentFixture.StartAsync(1, "lc3");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", Admitted, TimeSpan.FromSeconds(30));

        f.Api.Faults.DropWatches(abortConnection: true).ShouldBeGreaterThan(0);
        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["spec"]!["inbound"]!["floor"] = "35M");

        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 35Mbit", StringComparison.Ordinal), "the change made while the watch was down");
        await AgentFixture.UntilAsync(() => f.Api.OpenWatches >= 2, "both watches open again");
    }

    [RootFact]
    public async Task Removing_a_floor_removes_its_class_and_the_class_id_from_the_status()
    {
        await using var f = await AgentFixture.StartAsync(1, "lc4");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Admitted(o) && ClassId(o) == 3, TimeSpan.FromSeconds(30));

        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["spec"]!["inbound"] = new JsonObject());

        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => (long?)o?["status"]?["observedGeneration"] == 2 && Admitted(o), TimeSpan.FromSeconds(30));
        Condition(a, "Admitted", "reason").ShouldBe("NoFloor");
        ClassId(a).ShouldBeNull();
        await AgentFixture.UntilAsync(() => !f.Classes().Contains("class htb 1:3 ", StringComparison.Ordinal), "class 1:3 removed");
    }

    [RootFact]
    public async Task A_network_deleted_while_the_agent_was_down_loses_its_tree_when_the_agent_comes_back()
    {
        await using var f = await AgentFixture.StartAsync(1, "lc5");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Admitted(o) && ClassId(o) == 3, TimeSpan.FromSeconds(30));

        await f.StopAgentAsync();
        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        f.Qdiscs().ShouldContain("qdisc htb 1: root");
        await f.StartAgentAsync();

        await AgentFixture.UntilAsync(() => !f.Qdiscs().Contains("qdisc htb", StringComparison.Ordinal), "the orphaned tree removed");
        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Condition(o, "Ready", "reason") == "UnknownNetwork", TimeSpan.FromSeconds(30));
        (Condition(a, "Ready", "message") ?? string.Empty).ShouldContain("BridgeNetwork tenant-net does not exist");
    }

    [RootFact]
    public async Task A_duplicate_MAC_and_an_unknown_network_end_as_conditions_and_events_not_exceptions()
    {
        await using var f = await AgentFixture.StartAsync(2, "lc6");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Admitted(o) && ClassId(o) == 3, TimeSpan.FromSeconds(30));

        f.SeedInterface("vm-dup", f.Topology.Guests[0], "10M");
        var stray = f.SeedInterface("vm-stray", f.Topology.Guests[1], "10M");
        f.Api.Modify(Ibw, "tenant-a", "vm-stray", o => o["spec"]!["network"] = "no-such-net");

        var dup = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-dup", o => Condition(o, "Admitted", "reason") == "DuplicateMac", TimeSpan.FromSeconds(30));
        (Condition(dup, "Admitted", "message") ?? string.Empty).ShouldContain("is already claimed on bridge br0 on node node-a by InterfaceBandwidth tenant-a/vm-a");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-stray", o => Condition(o, "Ready", "reason") == "UnknownNetwork", TimeSpan.FromSeconds(30));
        await AgentFixture.UntilAsync(
            () => f.Api.List(ResourceType.CoreEvents, "tenant-a").Select(e => (string?)e["reason"]).ToHashSet().IsSupersetOf(["DuplicateMac", "UnknownNetwork"]),
            "Warning events for both");
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 20Mbit");
        f.Classes().ShouldNotContain("class htb 1:4 ");
        ClassId(f.Api.Get(Ibw, "tenant-a", "vm-a")).ShouldBe(3);
        stray.ShouldNotBeNull();
    }
}
