using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The scheduler's view: a schedulable BridgeNetwork's floor capacity as an extended resource on the
/// Node (JSON patches of nodes/node-a/status, held to transcripts 72, 75, 76 and 77), kept up to date
/// with raw-MAC floors, removed when the network goes — also while the agent was down.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentSchedulingTests
{
    private const string Resource = "floor.bandwidthoperator.io/" + AgentFixture.Network;

    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    private static string? Capacity(JsonObject? node, string resource = Resource) => (string?)node?["status"]?["capacity"]?[resource];

    private static string? Allocatable(JsonObject? node, string resource = Resource) => (string?)node?["status"]?["allocatable"]?[resource];

    private static void Schedulable(AgentFixture f) =>
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["inbound"]!["schedulable"] = true);

    /// <summary>What a kubelet registers (transcript 71): capacity and allocatable with cpu, memory, pods.</summary>
    private static void KubeletCapacity(AgentFixture f) => f.Api.Modify(ResourceType.Nodes, null, AgentFixture.Node, o =>
    {
        o["status"]!["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" };
        o["status"]!["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" };
    }, "status");

    private static Task<JsonObject?> NodeWhere(AgentFixture f, Func<JsonObject?, bool> condition) =>
        f.Api.WaitForAsync(ResourceType.Nodes, null, AgentFixture.Node, condition, TimeSpan.FromSeconds(30));

    [RootFact]
    public async Task The_floor_resource_appears_follows_raw_mac_floors_and_goes_with_the_network()
    {
        await using var f = await AgentFixture.StartAsync(2, "sc1");
        KubeletCapacity(f);
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", Admitted, TimeSpan.FromSeconds(30));
        var before = f.Api.Get(ResourceType.Nodes, null, AgentFixture.Node);
        Capacity(before).ShouldBeNull("not advertised before the network opts in");

        // Opt in: 100M − 30M of raw-MAC floors (follows 72: add of both keys).
        Schedulable(f);
        var node = await NodeWhere(f, n => Capacity(n) == "70M" && Allocatable(n) == "70M");
        ((string?)node!["status"]!["capacity"]!["cpu"]).ShouldBe("4", "the kubelet's resources are kept");
        f.Api.Requests.Snapshot().ShouldContain(r => r.Verb == "patch" && r.Resource == "nodes" && r.Subresource == "status");

        // A second raw-MAC floor (follows 75: replace).
        f.SeedInterface("vm-b", f.Topology.Guests[1], "20M");
        await NodeWhere(f, n => Capacity(n) == "50M" && Allocatable(n) == "50M");

        // The network's average changes.
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["inbound"]!["average"] = "200M");
        await NodeWhere(f, n => Capacity(n) == "150M");

        // The network is deleted (follows 76: remove of both keys).
        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        node = await NodeWhere(f, n => Capacity(n) is null && Allocatable(n) is null);
        ((string?)node!["status"]!["allocatable"]!["pods"]).ShouldBe("110");
    }

    [RootFact]
    public async Task A_network_that_stops_selecting_the_node_or_stops_opting_in_is_no_longer_advertised()
    {
        await using var f = await AgentFixture.StartAsync(1, "sc2");
        f.SeedNetwork("100M");
        Schedulable(f);

        // The seeded Node has no capacity map: the agent adds the whole map (an add below it is refused, transcript 77).
        await NodeWhere(f, n => Capacity(n) == "100M" && Allocatable(n) == "100M");

        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["rack"] = "elsewhere" } });
        await NodeWhere(f, n => Capacity(n) is null && Allocatable(n) is null);

        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!.AsObject().Remove("nodeSelector"));
        await NodeWhere(f, n => Capacity(n) == "100M");
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["inbound"]!["schedulable"] = false);
        await NodeWhere(f, n => Capacity(n) is null && Allocatable(n) is null);
    }

    [RootFact]
    public async Task A_network_deleted_while_the_agent_was_down_loses_its_resource_when_the_agent_starts()
    {
        await using var f = await AgentFixture.StartAsync(1, "sc3");
        KubeletCapacity(f);
        f.SeedNetwork("100M");
        Schedulable(f);
        await NodeWhere(f, n => Capacity(n) == "100M");

        await f.StopAgentAsync();
        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        // A resource of ours for a network this agent never knew (left by an older install) goes too; foreign ones stay.
        f.Api.Modify(ResourceType.Nodes, null, AgentFixture.Node, o =>
        {
            o["status"]!["capacity"]!["outbound-floor.bandwidthoperator.io/old-net"] = "1G";
            o["status"]!["capacity"]!["example.com/gpu"] = "2";
        }, "status");
        await f.StartAgentAsync();

        var node = await NodeWhere(f, n => Capacity(n) is null && Allocatable(n) is null && Capacity(n, "outbound-floor.bandwidthoperator.io/old-net") is null);
        Capacity(node, "example.com/gpu").ShouldBe("2");
        Capacity(node, "cpu").ShouldBe("4");
    }

    [RootFact]
    public async Task A_network_name_too_long_for_a_resource_name_is_refused_for_scheduling_with_a_warning()
    {
        await using var f = await AgentFixture.StartAsync(1, "sc4");
        var name = "tenant-" + new string('x', 60);
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["bridge"] = BridgeTopology.BridgeName, ["inbound"] = new JsonObject { ["average"] = "100M", ["schedulable"] = true } },
        });

        await AgentFixture.UntilAsync(() => f.Api.List(ResourceType.CoreEvents).Any(e => (string?)e["reason"] == "NotSchedulable"), "a NotSchedulable event", TimeSpan.FromSeconds(30));

        var warning = f.Api.List(ResourceType.CoreEvents).Single(e => (string?)e["reason"] == "NotSchedulable");
        ((string?)warning["type"]).ShouldBe("Warning");
        ((string?)warning["involvedObject"]!["name"]).ShouldBe(name);
        ((string?)warning["message"]).ShouldBe(
            $"BridgeNetwork {name} is not advertised to the scheduler: the name is 67 characters; the extended resource floor.bandwidthoperator.io/<network> allows at most 63 after the '/'");
        var node = f.Api.Get(ResourceType.Nodes, null, AgentFixture.Node)!;
        (node["status"]?["capacity"] as JsonObject)?.Select(kv => kv.Key).Where(k => k.Contains("bandwidthoperator.io", StringComparison.Ordinal)).ShouldBeEmpty();
        await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, name,
            o => (o?["status"]?["nodes"] as JsonArray)?.Any(n => (bool?)n?["ready"] == true) == true, TimeSpan.FromSeconds(30));
    }

    [RootFact]
    public async Task A_vmi_that_did_not_request_its_floor_is_refused_with_what_to_add_and_admitted_once_it_does()
    {
        await using var f = await AgentFixture.StartAsync(1, "sc5");
        var guest = f.Topology.Guests[0];
        KubeletCapacity(f);
        f.SeedNetwork("100M", allowRawMacs: false);
        Schedulable(f);
        f.Api.Seed(WorkloadEndToEndTests.VmiObject("t1", "vm-a", AgentFixture.Node, guest));
        f.Api.Seed(WorkloadEndToEndTests.TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "40M"));

        var refused = await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => Condition(o, "Admitted", "reason") == "FloorNotRequested", TimeSpan.FromSeconds(30));

        Condition(refused, "Admitted", "status").ShouldBe("False");
        Condition(refused, "Admitted", "message").ShouldBe(
            "InterfaceBandwidth t1/vm-a-net1: the floor is scheduled as an extended resource and VirtualMachineInstance vm-a does not request it: "
            + "it needs 40M of floor.bandwidthoperator.io/tenant-net (it requests 0). Add to the VirtualMachineInstance (or its VirtualMachine's template), then restart it: "
            + "spec: {domain: {resources: {limits: {floor.bandwidthoperator.io/tenant-net: 40M}}}}");
        ((string?)refused!["status"]!["nodeName"]).ShouldBe(AgentFixture.Node);
        ClassId(refused).ShouldBeNull();
        f.Classes().ShouldNotContain("rate 40Mbit");
        // A workload-bound floor is the scheduler's to count (the pod's request), not taken off the Node's value.
        await NodeWhere(f, n => Capacity(n) == "100M");

        // The VM asks for it (as KubeVirt would after a restart with the new spec): admitted.
        f.Api.Modify(ResourceType.VirtualMachineInstances, "t1", "vm-a", o => o["spec"]!["domain"]!["resources"] = new JsonObject
        {
            ["limits"] = new JsonObject { [Resource] = "40M" },
        });
        await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        f.Classes().ShouldContain("rate 40Mbit");
    }

    [RootFact]
    public async Task A_pod_must_request_its_floor_only_on_a_network_that_is_schedulable()
    {
        await using var f = await AgentFixture.StartAsync(1, "sc6");
        var guest = f.Topology.Guests[0];
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-0",
                ["namespace"] = "t1",
                ["annotations"] = new JsonObject
                {
                    ["k8s.v1.cni.cncf.io/network-status"] = $$$"""[{"name":"t1/br-net","interface":"net1","mac":"{{{guest.Mac}}}","ips":["10.88.0.11"],"dns":{}}]""",
                },
            },
            ["spec"] = new JsonObject { ["nodeName"] = AgentFixture.Node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "x" }) },
        });
        f.Api.Seed(WorkloadEndToEndTests.TargetIbw("t1", "web-0-net1", "Pod", "web-0", "net1", "30M"));
        await f.Api.WaitForAsync(Ibw, "t1", "web-0-net1", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        // The network opts in: the pod asked for nothing, so its floor is refused and its class goes.
        Schedulable(f);
        var refused = await f.Api.WaitForAsync(Ibw, "t1", "web-0-net1", o => Condition(o, "Admitted", "reason") == "FloorNotRequested", TimeSpan.FromSeconds(30));
        Condition(refused, "Admitted", "message").ShouldEndWith(
            "Add to one of the pod's containers (a pod's resources cannot change while it runs: recreate it): resources: {limits: {floor.bandwidthoperator.io/tenant-net: 30M}}");
        await AgentFixture.UntilAsync(() => !f.Classes().Contains("rate 30Mbit", StringComparison.Ordinal), "the floor's class to be removed");
    }
}
