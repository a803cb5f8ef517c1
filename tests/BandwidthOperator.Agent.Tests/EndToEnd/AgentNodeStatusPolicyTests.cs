using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.ApiServerDouble.Schema;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The node-scoped capacity policy (config/policy/agent_own_node_status_policy.yaml) in force in the
/// API-server double beside the node-scoped write policy, evaluated by a real CEL interpreter, with the
/// agent running on a pod-bound token of node-a: its JSON patches of nodes/node-a/status (the floor
/// extended resource, transcript 72) are admitted, the same token's patch of node-b's status is refused
/// (403 with <c>reason: Forbidden</c>, transcripts 114/116), and other users (the kubelet, an admin) are
/// not matched. Tokens and policy follow transcripts 102 and 111/112.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentNodeStatusPolicyTests
{
    private const string Token = "agent-node-a-token";
    private const string Resource = "floor.bandwidthoperator.io/" + AgentFixture.Network;
    private static readonly AdmissionUser AgentUser =
        AdmissionUser.PodServiceAccount("system", "bandwidth-operator-agent", AgentFixture.Node, "bandwidth-operator-agent-x7k2p");

    private static JsonObject Policy() =>
        YamlJson.Parse(RepositoryRoot.Read("config/policy/agent_own_node_status_policy.yaml"), "config/policy/agent_own_node_status_policy.yaml")
            .Single(o => (string?)o["kind"] == "ValidatingAdmissionPolicy");

    private static KubernetesClientConfiguration AgentClient(KubeApiServerDouble api)
    {
        api.AddValidatingAdmissionPolicy(AgentAdmissionPolicyTests.Policy());
        api.AddValidatingAdmissionPolicy(Policy());
        api.AddToken(Token, AgentUser);
        return new KubernetesClientConfiguration { Host = api.Url, AccessToken = Token };
    }

    private static V1Patch AddFloor(string value) => new(
        $"[{{\"op\":\"add\",\"path\":\"/status/capacity/floor.bandwidthoperator.io~1{AgentFixture.Network}\",\"value\":\"{value}\"}}]",
        V1Patch.PatchType.JsonPatch);

    [RootFact]
    public async Task The_agent_publishes_its_own_nodes_floor_and_is_refused_another_nodes_status()
    {
        await using var f = await AgentFixture.StartAsync(1, "vap3", clientFor: AgentClient);
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = "node-b" },
            ["status"] = new JsonObject { ["capacity"] = new JsonObject { ["cpu"] = "4", ["pods"] = "110" } },
        });
        f.SeedNetwork("100M");
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["inbound"]!["schedulable"] = true);

        // The agent's own write goes through both policies.
        var own = await f.Api.WaitForAsync(ResourceType.Nodes, null, AgentFixture.Node,
            o => (string?)o?["status"]?["capacity"]?[Resource] is not null, TimeSpan.FromSeconds(30));
        ((string?)own!["status"]!["capacity"]![Resource]).ShouldBe("100M");
        var nodeWrites = f.Api.Requests.Snapshot().Where(r => r.Resource == "nodes" && r.Method == "PATCH" && !r.Injected).ToList();
        nodeWrites.ShouldNotBeEmpty();
        nodeWrites.ShouldAllBe(r => r.StatusCode == 200 && r.Name == AgentFixture.Node, string.Join(", ", nodeWrites));

        // The same token on another node's status: refused, nothing changed.
        var other = await Should.ThrowAsync<HttpOperationException>(() => f.Client.CoreV1.PatchNodeStatusAsync(AddFloor("1G"), "node-b"));
        other.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        JsonNode.Parse(other.Response.Content)!["message"]!.GetValue<string>().ShouldBe(
            "nodes \"node-b\" is forbidden: ValidatingAdmissionPolicy 'bandwidth-operator-agent-own-node-status' with binding " +
            "'bandwidth-operator-agent-own-node-status' denied request: Node node-b: the agent on node node-a may change only the status of its own Node");
        ((string?)f.Api.Get(ResourceType.Nodes, null, "node-b")!["status"]!["capacity"]![Resource]).ShouldBeNull();

        // The same write by another user (the admin of the recordings, as a kubelet or controller would be) is not matched.
        await f.Api.CreateClient().CoreV1.PatchNodeStatusAsync(AddFloor("1G"), "node-b");
        ((string?)f.Api.Get(ResourceType.Nodes, null, "node-b")!["status"]!["capacity"]![Resource]).ShouldBe("1G");
    }

    [Fact]
    public void A_token_without_a_node_and_writes_other_than_a_status_update_are_refused()
    {
        var policy = new ValidatingAdmissionPolicy(Policy());
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "node-a" } };
        AdmissionRequest Request(string operation, string? subresource, AdmissionUser user) =>
            new(operation, string.Empty, "v1", "nodes", subresource, null, "node-a", user, node, node);

        policy.Evaluate(Request("UPDATE", "status", AgentUser)).ShouldBeNull("its own Node's status");
        policy.Evaluate(Request("UPDATE", null, AgentUser))!.Message.ShouldEndWith("denied request: the bandwidth-operator agent may only update the status of a Node");
        policy.Evaluate(Request("DELETE", null, AgentUser))!.Message.ShouldEndWith("denied request: the bandwidth-operator agent may only update the status of a Node");
        // The same ServiceAccount with a token not bound to a pod on a node (a legacy Secret token).
        var unbound = AgentUser with { Extra = new Dictionary<string, IReadOnlyList<string>>() };
        policy.Evaluate(Request("UPDATE", "status", unbound))!.Message.ShouldContain("denied request: the bandwidth-operator agent's token names no node");
        policy.Evaluate(Request("UPDATE", null, AdmissionUser.Admin)).ShouldBeNull("other users are not matched");
    }
}
