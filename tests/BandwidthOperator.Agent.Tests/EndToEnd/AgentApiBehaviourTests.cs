using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.ApiServerDouble;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>How the agent uses the API: order of writes, conflicts, permissions, and its HTTP endpoints.</summary>
[Collection(KernelCollection.Name)]
public sealed class AgentApiBehaviourTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    private static bool Ready(JsonObject? o) =>
        (o?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;

    [RootFact]
    public async Task The_class_id_reaches_the_api_before_the_kernel_gets_the_class()
    {
        await using var f = await AgentFixture.StartAsync(1, "ab1");
        using var refuse = f.Api.Faults.FailNext(1000, 503, RequestFilter.StatusWrites);
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");

        await AgentFixture.UntilAsync(
            () => f.Api.Requests.Snapshot().Count(r => r.Injected && r.Subresource == "status" && r.Resource == "interfacebandwidths") >= 3,
            "refused classId writes");
        f.Classes().ShouldNotContain("class htb 1:3 ");

        refuse.Dispose();
        var a = await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Ready(o) && (int?)o?["status"]?["classId"] == 3, TimeSpan.FromSeconds(30));
        a.ShouldNotBeNull();
        f.Classes().ShouldContain("class htb 1:3 ");
    }

    [RootFact]
    public async Task Conflicting_status_writes_are_retried_from_a_fresh_read()
    {
        await using var f = await AgentFixture.StartAsync(1, "ab2");
        using var storm = f.Api.Faults.StartConflictStorm(count: 3);
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Ready(o) && (int?)o?["status"]?["classId"] == 3, TimeSpan.FromSeconds(30));
        f.Api.Requests.Snapshot().Count(r => r.StatusCode == 409).ShouldBe(3);
        f.Api.Requests.Snapshot().ShouldContain(r => r.Method == "GET" && r.Resource == "interfacebandwidths" && r.Name == "vm-a");
    }

    [RootFact]
    public async Task Transient_api_errors_on_every_kind_of_call_are_ridden_out()
    {
        await using var f = await AgentFixture.StartAsync(1, "ab6");
        using var nodes = f.Api.Faults.FailNext(2, 503, new RequestFilter(Verb: "list", Resource: "nodes"), retryAfterSeconds: 0);
        using var status = f.Api.Faults.FailNext(2, 500, RequestFilter.StatusWrites);
        using var watches = f.Api.Faults.FailNext(1, 429, new RequestFilter(Verb: "watch"), retryAfterSeconds: 0);
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Ready(o) && (int?)o?["status"]?["classId"] == 3, TimeSpan.FromSeconds(30));
        f.Api.Requests.Snapshot().Count(r => r.Injected).ShouldBe(5);
    }

    [RootFact]
    public async Task A_converged_node_writes_nothing_more()
    {
        await using var f = await AgentFixture.StartAsync(2, "ab3");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        f.SeedInterface("vm-b", f.Topology.Guests[1], null);
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Ready(o) && (int?)o?["status"]?["classId"] == 3, TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", Ready, TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o?["status"]?["nodes"] is not null, TimeSpan.FromSeconds(30));
        var rv = f.Api.CurrentResourceVersion;

        // Touch a label: an event, a reconcile, and nothing to write.
        var metrics = f.Host.Services.GetRequiredService<AgentMetrics>();
        var queue = f.Host.Services.GetRequiredService<WorkQueue>();
        var reconciles = metrics.Snapshot().Reconciles;
        f.Api.Modify(Ibw, "tenant-a", "vm-a", o => o["metadata"]!["labels"] = new JsonObject { ["touched"] = "yes" });
        var touched = f.Api.CurrentResourceVersion;
        await AgentFixture.UntilAsync(() => metrics.Snapshot().Reconciles > reconciles && queue.Count == 0, "the reconcile after the touch");

        f.Api.CurrentResourceVersion.ShouldBe(touched, $"no write after the touch (before it: {rv})");
    }

    [RootFact]
    public async Task The_cluster_role_grants_exactly_the_requests_the_agent_makes()
    {
        // A run that takes every path that talks to the API: list/watch of both kinds, status writes
        // of both kinds, a 409 that forces a re-read, a namespace selector (namespace labels), a
        // refusal (an Event), node labels (a watch of this Node), a schedulable network (the floor
        // resource on the Node's status).
        await using var f = await AgentFixture.StartAsync(2, "ab4");
        using var storm = f.Api.Faults.StartConflictStorm(count: 1, new RequestFilter(Resource: "interfacebandwidths", Subresource: "status", Method: "PUT|PATCH"));
        f.SeedNetwork("100M");
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["inbound"]!["schedulable"] = true);
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => o["spec"]!["namespaceSelector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "kubernetes.io/metadata.name", ["operator"] = "Exists" }) });
        f.SeedInterface("vm-a", f.Topology.Guests[0], "70M");
        f.SeedInterface("vm-b", f.Topology.Guests[1], "50M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b",
            o => (o?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["reason"] == "FloorOvercommitted") == true, TimeSpan.FromSeconds(30));
        await AgentFixture.UntilAsync(() => f.Api.Requests.Snapshot().Any(r => r.Resource == "events"), "an event");
        await f.Api.WaitForAsync(ResourceType.BridgeNetworks, null, AgentFixture.Network,
            o => (o?["status"]?["nodes"] as JsonArray)?.Any(n => (string?)n?["nodeName"] == AgentFixture.Node) == true, TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(ResourceType.Nodes, null, AgentFixture.Node,
            o => o?["status"]?["capacity"]?["floor.bandwidthoperator.io/" + AgentFixture.Network] is not null, TimeSpan.FromSeconds(30));
        storm.Hits.ShouldBe(1);

        var granted = Grants(RepositoryRoot.Read("config/rbac/role.yaml"));
        var used = f.Api.Requests.Permissions().Select(p => $"{p.Group}/{p.Resource}:{p.Verb}").ToHashSet(StringComparer.Ordinal);
        used.Except(granted).ShouldBeEmpty($"requests the role does not grant (used: {string.Join(", ", used.Order(StringComparer.Ordinal))})");
        granted.Except(used).ShouldBeEmpty($"grants the agent never uses (used: {string.Join(", ", used.Order(StringComparer.Ordinal))})");

        f.Api.Requests.Snapshot().ShouldContain(r => r.Verb == "watch" && r.Resource == "interfacebandwidths" && r.Query.Contains("fieldSelector=spec.nodeName", StringComparison.Ordinal));
        f.Api.Requests.Snapshot().ShouldContain(r => r.Verb == "watch" && r.Query.Contains("allowWatchBookmarks=true", StringComparison.Ordinal));
        // Node and Namespace labels come from watches (recorded exchanges 30-31: a field selector on a watch), never a GET.
        f.Api.Requests.Snapshot().ShouldContain(r => r.Verb == "watch" && r.Resource == "nodes" && r.Query.Contains("fieldSelector=metadata.name", StringComparison.Ordinal));
        f.Api.Requests.Snapshot().ShouldContain(r => r.Verb == "watch" && r.Resource == "namespaces");
        f.Api.Requests.Snapshot().ShouldNotContain(r => r.Verb == "get" && (r.Resource == "nodes" || r.Resource == "namespaces"));
    }

    [RootFact]
    public async Task Health_readiness_and_metrics_are_served()
    {
        var health = LoopbackPort.Free();
        var metrics = LoopbackPort.Free();
        await using var f = await AgentFixture.StartAsync(1, "ab5", new()
        {
            ["Agent:HealthPort"] = health.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Metrics:Enabled"] = "true",
            ["Agent:Metrics:Port"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => Ready(o) && (int?)o?["status"]?["classId"] == 3, TimeSpan.FromSeconds(30));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        (await http.GetAsync(new Uri($"http://127.0.0.1:{health}/healthz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync(new Uri($"http://127.0.0.1:{health}/readyz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var response = await http.GetAsync(new Uri($"http://127.0.0.1:{metrics}/metrics"));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("bandwidth_operator_interface_floor_bits_per_second{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-a\",network=\"tenant-net\",bridge=\"br0\",class_id=\"3\",direction=\"in\"} 30000000");
        text.ShouldContain("bandwidth_operator_bridge_capacity_bits_per_second{node=\"node-a\",network=\"tenant-net\",bridge=\"br0\"} 100000000");
        text.ShouldMatch(@"(?m)^bandwidth_operator_kernel_operations_applied_total\{node=""node-a""\} [1-9]");
    }

    [Fact]
    public async Task A_busy_health_port_fails_the_start_and_liveness_naming_the_setting()
    {
        using var busy = new TcpListener(IPAddress.Any, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = KubeApi.Create(api.ClientConfiguration());
        using var kernel = BandwidthOperator.Agent.Engine.NetlinkNodeKernel.Open();
        using var host = BandwidthOperator.Agent.Hosting.AgentHost.Build(
            new BandwidthOperator.Agent.Hosting.AgentIdentity("node-a"), client, kernel,
            c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Agent:HealthPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Agent:Metrics:Enabled"] = "false" }),
            logging: l => l.ClearProviders());
        var health = host.Services.GetRequiredService<BandwidthOperator.Agent.Health.AgentHealth>();

        var lifetime = host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        try
        {
            await host.StartAsync(); // .NET 10 runs ExecuteAsync in the background: the failure stops the host
        }
        catch (HttpListenerException)
        {
        }

        await AgentFixture.UntilAsync(() => !health.Live && lifetime.ApplicationStopping.IsCancellationRequested, "liveness to fail and the host to stop");
        health.Failure.ShouldNotBeNull().ShouldContain("Agent:HealthPort " + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        api.Requests.Snapshot().ShouldBeEmpty("nothing was watched");
    }


    private static HashSet<string> Grants(string roleYaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(roleYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var grants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in ((YamlSequenceNode)root.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>())
        {
            IEnumerable<string> Items(string key) => ((YamlSequenceNode)rule.Children[new YamlScalarNode(key)]).Children.Select(n => ((YamlScalarNode)n).Value ?? string.Empty);
            foreach (var g in Items("apiGroups"))
            {
                foreach (var r in Items("resources"))
                {
                    foreach (var v in Items("verbs"))
                    {
                        grants.Add($"{g}/{r}:{v}");
                    }
                }
            }
        }

        return grants;
    }
}
