using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// Live migration with two agents (node-a, node-b: two network namespaces, one API-server double). A
/// migration is the sequence of VMI updates KubeVirt makes: status.migrationState (sourceNode,
/// targetNode, completed) and the labels moving (kubevirt.io/migrationTargetNodeName, then
/// kubevirt.io/nodeName, whose change takes the VMI out of one agent's watch as DELETED and into the
/// other's as ADDED, recorded exchanges 96–98). At each step the floor is in exactly the kernels that
/// should hold it, and status.nodes says so.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class MigrationEndToEndTests
{
    private const string NodeA = "node-a";
    private const string NodeB = "node-b";

    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    private static ResourceType Vmi => ResourceType.VirtualMachineInstances;

    [RootFact]
    public async Task The_target_builds_the_floor_before_the_switch_over_and_the_source_releases_it_after()
    {
        await using var c = await TwoNodes.StartAsync("mg1");
        var guest = c.A.Guests[0]; // the same MAC exists behind both bridges (guest 0 of each namespace), as a migrating VM's does
        c.SeedNetwork();
        c.Api.Seed(WorkloadEndToEndTests.VmiObject("t1", "vm-a", NodeA, guest));
        c.Api.Seed(WorkloadEndToEndTests.TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "40M"));
        await c.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => ReadyWithClass(o, 3) && Role(o, NodeA) == "Running", TimeSpan.FromSeconds(30));
        TwoNodes.Classes(c.A).ShouldContain("rate 40Mbit");
        TwoNodes.Classes(c.B).ShouldNotContain("rate 40Mbit");

        // 1. The migration starts: the target node is labelled and named in migrationState.
        c.Api.Modify(Vmi, "t1", "vm-a", o => o["metadata"]!["labels"]!["kubevirt.io/migrationTargetNodeName"] = NodeB);
        c.Api.Modify(Vmi, "t1", "vm-a", o => o["status"]!["migrationState"] = new JsonObject
        {
            ["sourceNode"] = NodeA, ["targetNode"] = NodeB, ["completed"] = false,
        }, subresource: "status");
        var during = await c.Api.WaitForAsync(Ibw, "t1", "vm-a-net1",
            o => Role(o, NodeA) == "MigrationSource" && Role(o, NodeB) == "MigrationTarget" && Field(o, NodeB, "ready") == "true", TimeSpan.FromSeconds(30));
        Field(during, NodeB, "admitted").ShouldBe("true");
        ((string?)during!["status"]!["nodeName"]).ShouldBe(NodeA, "the VM still runs on the source");
        TwoNodes.Classes(c.A).ShouldContain("rate 40Mbit", customMessage: "the source keeps its floor until the switch-over");
        TwoNodes.Classes(c.B).ShouldContain("rate 40Mbit", customMessage: "the target built the floor before the switch-over");

        // 2. Switch-over: migrationState completed, status.nodeName and the node label move to the target.
        c.Api.Modify(Vmi, "t1", "vm-a", o =>
        {
            o["status"]!["migrationState"]!["completed"] = true;
            o["status"]!["nodeName"] = NodeB;
        }, subresource: "status");
        c.Api.Modify(Vmi, "t1", "vm-a", o =>
        {
            var labels = o["metadata"]!["labels"]!.AsObject();
            labels["kubevirt.io/nodeName"] = NodeB;
            labels.Remove("kubevirt.io/migrationTargetNodeName");
        });
        var after = await c.Api.WaitForAsync(Ibw, "t1", "vm-a-net1",
            o => Role(o, NodeA) is null && Role(o, NodeB) == "Running" && (string?)o?["status"]?["nodeName"] == NodeB && Admitted(o), TimeSpan.FromSeconds(30));
        ClassId(after).ShouldBe(int.Parse(Field(after, NodeB, "classId")!, System.Globalization.CultureInfo.InvariantCulture));
        await AgentFixture.UntilAsync(() => !TwoNodes.Classes(c.A).Contains("rate 40Mbit", StringComparison.Ordinal), "the source to release its floor");
        TwoNodes.Classes(c.B).ShouldContain("rate 40Mbit");
        var writes = c.Api.Requests.Snapshot().Where(r => r.Resource == "interfacebandwidths" && r.Subresource == "status" && r.Method == "PATCH").ToList();
        writes.ShouldAllBe(r => r.StatusCode == 200 || r.StatusCode == 409, "every status write of both agents is admitted by the policy: " + string.Join(", ", writes));
    }

    [RootFact]
    public async Task A_target_that_cannot_admit_says_so_and_the_source_keeps_the_floor()
    {
        await using var c = await TwoNodes.StartAsync("mg2");
        c.SeedNetwork();
        // node-b is already carrying 80M of the network's 100M for another VM.
        c.Api.Seed(WorkloadEndToEndTests.VmiObject("t1", "vm-b", NodeB, c.B.Guests[1]));
        c.Api.Seed(WorkloadEndToEndTests.TargetIbw("t1", "vm-b-net1", "VirtualMachineInstance", "vm-b", "net1", "80M"));
        c.Api.Seed(WorkloadEndToEndTests.VmiObject("t1", "vm-a", NodeA, c.A.Guests[0]));
        c.Api.Seed(WorkloadEndToEndTests.TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "40M"));
        await c.Api.WaitForAsync(Ibw, "t1", "vm-b-net1", o => Admitted(o), TimeSpan.FromSeconds(30));
        await c.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => Admitted(o) && Role(o, NodeA) == "Running", TimeSpan.FromSeconds(30));

        c.Api.Modify(Vmi, "t1", "vm-a", o => o["metadata"]!["labels"]!["kubevirt.io/migrationTargetNodeName"] = NodeB);
        c.Api.Modify(Vmi, "t1", "vm-a", o => o["status"]!["migrationState"] = new JsonObject
        {
            ["sourceNode"] = NodeA, ["targetNode"] = NodeB, ["completed"] = false,
        }, subresource: "status");

        // The two agents write their entries independently: wait for both.
        var refused = await c.Api.WaitForAsync(Ibw, "t1", "vm-a-net1",
            o => Field(o, NodeB, "reason") == "MigrationTargetNotAdmitted" && Role(o, NodeA) == "MigrationSource", TimeSpan.FromSeconds(30));
        Field(refused, NodeB, "admitted").ShouldBe("false");
        Field(refused, NodeB, "message").ShouldBe("floor 40M does not fit: 20M of tenant-net's 100M inbound average is left on node-b");
        Admitted(refused).ShouldBeTrue("the running VM keeps its floor on the source");
        TwoNodes.Classes(c.A).ShouldContain("rate 40Mbit");
        TwoNodes.Classes(c.B).ShouldNotContain("rate 40Mbit");
        await AgentFixture.UntilAsync(() => c.Api.List(ResourceType.CoreEvents).Concat(c.Api.List(ResourceType.Events))
            .Any(e => (string?)e["reason"] == "MigrationTargetNotAdmitted"), "a Warning event from the target");
    }

    private static string? Role(JsonObject? o, string node) => Field(o, node, "role");

    private static string? Field(JsonObject? o, string node, string field) =>
        (o?["status"]?["nodes"] as JsonArray)?.FirstOrDefault(e => (string?)e?["nodeName"] == node)?[field]?.ToString();

    /// <summary>One API-server double and two agents, each shaping its own namespace's br0.</summary>
    private sealed class TwoNodes : IAsyncDisposable
    {
        private readonly List<IDisposable> _disposables = [];
        private readonly List<IHost> _hosts = [];

        public required KubeApiServerDouble Api { get; init; }

        public required BridgeTopology A { get; init; }

        public required BridgeTopology B { get; init; }

        public static async Task<TwoNodes> StartAsync(string hint)
        {
            var a = BridgeTopology.Create(2, hint + "a");
            var b = BridgeTopology.Create(2, hint + "b");
            var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300), KubeVirtInstalled = true });
            var nodes = new TwoNodes { Api = api, A = a, B = b };
            nodes._disposables.Add(a);
            nodes._disposables.Add(b);
            // Each agent writes with a pod-bound token of its node, under the node-scoped policy (config/policy; transcripts 102, 111-116).
            api.AddValidatingAdmissionPolicy(AgentAdmissionPolicyTests.Policy());
            foreach (var (node, topology) in new[] { (NodeA, a), (NodeB, b) })
            {
                api.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = node } });
                api.AddToken("agent-" + node, ApiServerDouble.Admission.AdmissionUser.PodServiceAccount("system", "bandwidth-operator-agent", node, "agent-" + node + "-pod"));
                var client = KubeApi.Create(new KubernetesClientConfiguration { Host = api.Url, AccessToken = "agent-" + node });
                var kernel = NetlinkNodeKernel.Open(topology.Host.Path);
                nodes._disposables.Add(client);
                nodes._disposables.Add(kernel);
                var host = AgentHost.Build(new AgentIdentity(node, topology.Host.Path), client, kernel,
                    cfg => cfg.AddInMemoryCollection(new Dictionary<string, string?>
                    {
                        ["Agent:HealthPort"] = "0",
                        ["Agent:Metrics:Enabled"] = "false",
                        ["Agent:RequeueBaseDelay"] = "00:00:00.100",
                        ["Agent:RequeueMaxDelay"] = "00:00:02",
                    }),
                    logging: l => l.ClearProviders());
                await host.StartAsync();
                nodes._hosts.Add(host);
            }

            return nodes;
        }

        public void SeedNetwork() => Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = AgentFixture.Network },
            ["spec"] = new JsonObject { ["bridge"] = BridgeTopology.BridgeName, ["inbound"] = new JsonObject { ["average"] = "100M" } },
        });

        /// <summary><c>tc class show</c> of the node's br0 inbound tree (on its IFB); empty while there is none.</summary>
        public static string Classes(BridgeTopology node)
        {
            var (code, stdout, _) = node.Host.TryExec("tc", "class", "show", "dev", node.TreeDevice());
            return code == 0 ? stdout : string.Empty;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _hosts)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await host.StopAsync(stop.Token);
                host.Dispose();
            }

            await Api.DisposeAsync();
            foreach (var d in Enumerable.Reverse(_disposables))
            {
                d.Dispose();
            }
        }
    }
}
