using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The agent end to end: resources in the API server double → class tree in the kernel (read back
/// with iproute2's tc) and statuses with class IDs and conditions.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentEndToEndTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    [RootFact]
    public async Task A_network_and_its_interfaces_become_a_class_tree_and_statuses()
    {
        await using var f = await AgentFixture.StartAsync(2, "ag1");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "70M");
        f.SeedInterface("vm-b", f.Topology.Guests[1], null);

        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => Condition(o, "Ready", "status") == "True", TimeSpan.FromSeconds(30));

        Condition(a, "Admitted", "reason").ShouldBe("FloorAdmitted");
        ((long?)a!["status"]!["observedGeneration"]).ShouldBe(1);
        var classes = f.Classes();
        classes.ShouldContain("class htb 1:1 root rate 100Mbit ceil 100Mbit");
        classes.ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 70Mbit ceil 100Mbit");

        var network = await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => (o?["status"]?["nodes"] as JsonArray)?.Any(n => (string?)n?["nodeName"] == AgentFixture.Node && (bool?)n?["ready"] == true) == true,
            TimeSpan.FromSeconds(30));
        var entry = ((JsonArray)network!["status"]!["nodes"]!).Single()!;
        entry["floorSum"]!.ToString().ShouldBe("70M");
        entry["interfaces"]!.GetValue<int>().ShouldBe(2);
        // The ports and their roles (veth ports are guests), each hooked into the trees.
        var ports = entry["ports"]!.AsArray();
        ports.Select(p => ((string?)p!["name"], (string?)p["role"], (bool?)p["hooked"])).ShouldBe([("vg1", "guest", true), ("vg2", "guest", true)]);
        network["metadata"]!["managedFields"]!.AsArray().ShouldContain(m => (string?)m!["manager"] == "bandwidth-operator-" + AgentFixture.Node);
    }

    [RootFact]
    public async Task An_outbound_floor_gets_its_own_class_id_written_before_the_kernel_and_its_class()
    {
        await using var f = await AgentFixture.StartAsync(1, "ago");
        var refuse = f.Api.Faults.FailNext(1000, 503, RequestFilter.StatusWrites);
        f.SeedNetwork(outbound: "80M"); // the interface below names its MAC by hand
        var guest = f.Topology.Guests[0];
        f.SeedInterface("vm-a", guest, new JsonObject { ["floor"] = "30M" }, new JsonObject { ["floor"] = "40M" }, byDevice: false);

        // While the API refuses the status writes that carry the IDs, the kernel gets no class in either tree.
        await AgentFixture.UntilAsync(
            () => f.Api.Requests.Snapshot().Count(r => r.Injected && r.Subresource == "status" && r.Resource == "interfacebandwidths") >= 3,
            "refused class ID writes");
        f.Topology.Host.TryExec("tc", "class", "show", "dev", f.Topology.TreeDevice("out")).Stdout.ShouldNotContain("class htb 1:3 ");
        f.Classes().ShouldNotContain("class htb 1:3 ");
        refuse.Dispose();

        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3) && (int?)o?["status"]?["outboundClassId"] == 3, TimeSpan.FromSeconds(30));

        Condition(a, "Admitted", "message").ShouldBe("floor 30M admitted as class 1:3 on bridge br0; outbound floor 40M admitted as class 1:3 on bridge br0's outbound tree");
        f.Topology.Host.Tc("class", "show", "dev", f.Topology.TreeDevice("out")).ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 40Mbit ceil 80Mbit");
    }

    [RootFact]
    public async Task Raising_and_lowering_a_floor_changes_the_class_in_place()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag2");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["spec"]!["inbound"]!["floor"] = "80M");
        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 80Mbit", StringComparison.Ordinal), "floor raised to 80M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => (long?)o?["status"]?["observedGeneration"] == 2 && ReadyWithClass(o, 3));

        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["spec"]!["inbound"]!["floor"] = "10M");
        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 10Mbit", StringComparison.Ordinal), "floor lowered to 10M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => (long?)o?["status"]?["observedGeneration"] == 3 && ReadyWithClass(o, 3));
    }

    [RootFact]
    public async Task A_floor_that_does_not_fit_is_refused_with_an_event_and_the_tree_keeps_the_rest()
    {
        await using var f = await AgentFixture.StartAsync(2, "ag3");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "70M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        f.SeedInterface("vm-b", f.Topology.Guests[1], "50M");

        var b = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => Condition(o, "Admitted", "status") == "False", TimeSpan.FromSeconds(30));

        Condition(b, "Admitted", "reason").ShouldBe("FloorOvercommitted");
        await AgentFixture.UntilAsync(() => f.Api.List(ResourceType.CoreEvents, "tenant-a").Any(e => (string?)e["reason"] == "FloorOvercommitted"), "a FloorOvercommitted event");
        f.Classes().ShouldContain("rate 70Mbit");
        f.Classes().ShouldNotContain("rate 50Mbit");
    }

    [RootFact]
    public async Task Deleting_an_interface_and_then_its_network_removes_the_class_and_the_tree()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag4");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        f.Api.Delete(Ibw, "tenant-a", "vm-a").ShouldBeTrue();
        await AgentFixture.UntilAsync(() => !f.Classes().Contains("class htb 1:3 ", StringComparison.Ordinal), "class 1:3 removed");
        f.Qdiscs().ShouldContain("qdisc htb 1: root");

        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        await AgentFixture.UntilAsync(() => !f.Qdiscs().Contains("qdisc htb", StringComparison.Ordinal), "tree removed");
    }

    [RootFact]
    public async Task A_tree_deleted_behind_the_agents_back_is_rebuilt()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag5");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        f.Topology.Host.Tc("qdisc", "del", "dev", f.Tree, "root");

        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 ", StringComparison.Ordinal), "tree rebuilt by the tc monitor");
    }

    [RootFact]
    public async Task A_network_that_stops_selecting_the_node_loses_its_tree_and_this_nodes_entry()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag6");
        var network = f.SeedNetwork("100M");
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/hostname"] = AgentFixture.Node } });
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => (o?["status"]?["nodes"] as JsonArray)?.Count == 1);

        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["nodeSelector"]!["matchLabels"]!["kubernetes.io/hostname"] = "node-b");

        await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => (o?["status"]?["nodes"] as JsonArray) is null or { Count: 0 }, TimeSpan.FromSeconds(30));
        await AgentFixture.UntilAsync(() => !f.Qdiscs().Contains("qdisc htb", StringComparison.Ordinal), "tree removed");
        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Condition(o, "Ready", "status") == "False");
        Condition(a, "Ready", "reason").ShouldBe("NetworkNotOnNode");
        network.ShouldNotBeNull();
    }

    [RootFact]
    public async Task A_namespace_outside_the_networks_namespace_selector_is_refused()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag7");
        f.SeedNetwork("100M");
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["team"] = "blue" } });
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");

        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Condition(o, "Admitted", "status") == "False", TimeSpan.FromSeconds(30));

        Condition(a, "Admitted", "reason").ShouldBe("NamespaceNotAllowed");
        f.Classes().ShouldNotContain("class htb 1:3 ");
    }

    [RootFact]
    public async Task After_an_api_server_restart_the_agent_keeps_reconciling()
    {
        await using var f = await AgentFixture.StartAsync(2, "ag8");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        using var restart = f.Api.Faults.SimulateRestart();
        f.SeedInterface("vm-b", f.Topology.Guests[1], "20M");

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => ReadyWithClass(o, 4), TimeSpan.FromSeconds(60));
        f.Classes().ShouldContain("class htb 1:4 parent 1:1 leaf 4: prio 1 rate 20Mbit");
    }

    [RootFact]
    public async Task An_expired_resource_version_makes_both_watchers_list_again()
    {
        await using var f = await AgentFixture.StartAsync(2, "ag10");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        int Lists(string resource) => f.Api.Requests.Snapshot().Count(r => r.Verb == "list" && r.Resource == resource);
        var (networks, interfaces) = (Lists("bridgenetworks"), Lists("interfacebandwidths"));

        f.Api.Faults.ExpireResourceVersions();
        f.Api.Faults.DropWatches();
        f.SeedInterface("vm-b", f.Topology.Guests[1], "20M");

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => ReadyWithClass(o, 4), TimeSpan.FromSeconds(60));
        await AgentFixture.UntilAsync(() => Lists("bridgenetworks") > networks && Lists("interfacebandwidths") > interfaces, "a relist of both kinds");
    }

    [RootFact]
    public async Task Stopping_the_agent_leaves_the_kernel_as_it_is()
    {
        await using var f = await AgentFixture.StartAsync(1, "ag9");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        var before = f.Classes();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await f.Host.StopAsync(stop.Token);

        f.Classes().ShouldBe(before);
        await AgentFixture.UntilAsync(() => f.Api.OpenWatches == 0, "the agent's watches to close");
    }
}
