using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.ApiServerDouble.Schema;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The node-scoped write policy (config/policy/agent_own_node_policy.yaml) in force in the API-server double,
/// its CEL evaluated by a real CEL interpreter, and the agent running with a pod-bound token of its node:
/// every write the agent really makes is admitted, and the same token is refused another node's objects.
/// Follows transcripts 102 (the token's user and extra), 111/112 (policy and binding), 113 (admitted),
/// 114/116 (denied: 403 with <c>reason: Forbidden</c>).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentAdmissionPolicyTests
{
    private const string Token = "agent-node-a-token";
    private static readonly AdmissionUser AgentUser =
        AdmissionUser.PodServiceAccount("system", "bandwidth-operator-agent", AgentFixture.Node, "bandwidth-operator-agent-x7k2p");

    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    internal static JsonObject Policy() =>
        YamlJson.Parse(RepositoryRoot.Read("config/policy/agent_own_node_policy.yaml"), "config/policy/agent_own_node_policy.yaml")
            .Single(o => (string?)o["kind"] == "ValidatingAdmissionPolicy");

    private static KubernetesClientConfiguration AgentClient(KubeApiServerDouble api)
    {
        api.AddValidatingAdmissionPolicy(Policy());
        api.AddToken(Token, AgentUser);
        return new KubernetesClientConfiguration { Host = api.Url, AccessToken = Token };
    }

    [RootFact]
    public async Task Every_write_the_agent_makes_is_admitted_and_other_nodes_entries_are_kept()
    {
        await using var f = await AgentFixture.StartAsync(2, "vap1", clientFor: AgentClient);
        f.SeedNetwork("100M");
        // Another node's agent already wrote its entry.
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["status"] = new JsonObject
        {
            ["nodes"] = new JsonArray(new JsonObject { ["nodeName"] = "node-b", ["ready"] = true, ["floorSum"] = "20M", ["interfaces"] = 1 }),
        }, subresource: "status");
        using var storm = f.Api.Faults.StartConflictStorm(count: 1);
        f.SeedInterface("vm-a", f.Topology.Guests[0], "70M");
        f.SeedInterface("vm-b", f.Topology.Guests[1], "50M");

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => StatusOf.ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b",
            o => (o?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["reason"] == "FloorOvercommitted") == true, TimeSpan.FromSeconds(30));
        var network = await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => NodeNames(o).Contains(AgentFixture.Node), TimeSpan.FromSeconds(30));
        var metrics = PrometheusTextWriter.Write(f.Host.Services.GetRequiredService<AgentMetrics>().Snapshot(), AgentFixture.Node);
        metrics.ShouldContain("bandwidth_operator_interface_floor_admitted{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-a\",network=\"tenant-net\",reason=\"FloorAdmitted\"} 1");
        metrics.ShouldContain("bandwidth_operator_interface_floor_admitted{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-b\",network=\"tenant-net\",reason=\"FloorOvercommitted\"} 0");
        NodeNames(network).ShouldBe(["node-b", AgentFixture.Node], ignoreOrder: true);

        // The network stops selecting node-a: the agent gives up its entry (an apply of an empty list).
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["pool"] = "elsewhere" } });
        network = await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => !NodeNames(o).Contains(AgentFixture.Node), TimeSpan.FromSeconds(30));
        NodeNames(network).ShouldBe(["node-b"]);
        ((string?)network!["status"]!["nodes"]![0]!["floorSum"]).ShouldBe("20M", "node-b's entry is untouched");

        var writes = f.Api.Requests.Snapshot().Where(r => r.Subresource == "status" && r.Method == "PATCH" && !r.Injected).ToList();
        writes.ShouldContain(r => r.Resource == "interfacebandwidths");
        writes.Count(r => r.Resource == "bridgenetworks").ShouldBeGreaterThanOrEqualTo(2, "the entry written, then given up");
        writes.ShouldAllBe(r => r.StatusCode == 200, string.Join(", ", writes));
        storm.Hits.ShouldBe(1);
    }

    [RootFact]
    public async Task The_agent_token_is_refused_other_nodes_objects_and_entries()
    {
        await using var f = await AgentFixture.StartAsync(1, "vap2", clientFor: AgentClient);
        f.SeedNetwork("100M");
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "InterfaceBandwidth",
            ["metadata"] = new JsonObject { ["name"] = "pod-e-eth0", ["namespace"] = "tenant-a" },
            ["spec"] = new JsonObject { ["network"] = AgentFixture.Network, ["nodeName"] = "node-b", ["macAddress"] = "52:54:00:00:0b:01" },
        });
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["status"] = new JsonObject
        {
            ["nodes"] = new JsonArray(new JsonObject { ["nodeName"] = "node-b", ["ready"] = true }),
        }, subresource: "status");

        var other = await Should.ThrowAsync<HttpOperationException>(() => f.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("{\"status\":{\"classId\":7,\"observedGeneration\":1}}", V1Patch.PatchType.MergePatch),
            "bandwidthoperator.io", "v1alpha1", "tenant-a", "interfacebandwidths", "pod-e-eth0"));
        other.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        JsonNode.Parse(other.Response.Content)!["message"]!.GetValue<string>().ShouldBe(
            "interfacebandwidths.bandwidthoperator.io \"pod-e-eth0\" " +
            "is forbidden: ValidatingAdmissionPolicy 'bandwidth-operator-agent-own-node' with binding 'bandwidth-operator-agent-own-node' denied request: " +
            "InterfaceBandwidth tenant-a/pod-e-eth0 is on node node-b, the agent token is bound to node node-a");

        var entry = "{\"apiVersion\":\"bandwidthoperator.io/v1alpha1\",\"kind\":\"BridgeNetwork\",\"metadata\":{\"name\":\"tenant-net\"},\"status\":{\"nodes\":[{\"nodeName\":\"node-b\",\"ready\":false}]}}";
        var foreign = await Should.ThrowAsync<HttpOperationException>(() => f.Client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(entry, V1Patch.PatchType.ApplyPatch), "bandwidthoperator.io", "v1alpha1", "bridgenetworks", AgentFixture.Network,
            fieldManager: "bandwidth-operator-node-a", force: true));
        foreign.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        JsonNode.Parse(foreign.Response.Content)!["message"]!.GetValue<string>().ShouldEndWith(
            "denied request: BridgeNetwork tenant-net: the agent on node node-a may change only its own entry of status.nodes (nodeName node-a)");
        NodeNames(f.Api.Get(ResourceType.BridgeNetworks, null, AgentFixture.Network)).ShouldBe(["node-b"]);
        ((bool?)f.Api.Get(ResourceType.BridgeNetworks, null, AgentFixture.Network)!["status"]!["nodes"]![0]!["ready"]).ShouldBe(true);

        // The same write as the admin (another user) is not matched by the policy.
        await f.Api.CreateClient().CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("{\"status\":{\"classId\":7,\"observedGeneration\":1}}", V1Patch.PatchType.MergePatch),
            "bandwidthoperator.io", "v1alpha1", "tenant-a", "interfacebandwidths", "pod-e-eth0");
    }

    private static List<string> NodeNames(JsonObject? network) =>
        (network?["status"]?["nodes"] as JsonArray ?? []).Select(n => (string?)n?["nodeName"]).OfType<string>().ToList();
}
