using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// A network the plan has no bridge for because it is an issue on this node (a bridge another network
/// manages) gets this node's entry in its status, not ready, with the plan's message: the reconciler finds
/// it by the plan's typed outcome (<c>NodePlan.NetworkOf(name).IsIssue</c>). The entry is written with
/// server-side apply on <c>/status</c> as in transcript 21.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentNetworkIssueTests
{
    [RootFact]
    public async Task A_second_network_on_a_managed_bridge_gets_a_not_ready_entry_saying_who_manages_it()
    {
        await using var f = await AgentFixture.StartAsync(1, "agi");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        // Named after the first network, so the first keeps the bridge.
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = "zz-second" },
            ["spec"] = new JsonObject { ["bridge"] = BridgeTopology.BridgeName, ["inbound"] = new JsonObject { ["average"] = "50M" } },
        });

        var second = await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, "zz-second",
            o => (o?["status"]?["nodes"] as JsonArray)?.Count == 1, TimeSpan.FromSeconds(30));
        var entry = ((JsonArray)second!["status"]!["nodes"]!).Single()!;
        ((string?)entry["nodeName"]).ShouldBe(AgentFixture.Node);
        ((bool?)entry["ready"]).ShouldBe(false);
        ((string?)entry["message"]).ShouldBe($"BridgeNetwork zz-second: bridge {BridgeTopology.BridgeName} is already managed by BridgeNetwork {AgentFixture.Network} on {AgentFixture.Node}");
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 30Mbit ceil 100Mbit");
    }
}
