using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Health;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using Microsoft.Extensions.DependencyInjection;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// What a user sees at the edges of the agent's life: resources created together converge without a
/// false alarm, and uninstalling as the README says leaves nothing of ours in the kernel. The agent
/// against the API-server double and a real kernel in a namespace. Recorded exchanges followed:
/// 25–29 (list, then watch: ADDED/DELETED/BOOKMARK), 37 (a watch from an older resourceVersion
/// replays every event since: how the test reads back every version of an object), 47–48 (a resource
/// whose CRD is gone: 404 on list and watch).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentUninstallTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    // The two kinds come over separate watches, so the InterfaceBandwidth can reach the agent before
    // its BridgeNetwork. Created half a second apart (the harder order: the interface first), the
    // interface must go straight to Ready: every version the API server held of it is read back
    // (a watch from before its creation replays them all), and no Warning Event was recorded.
    [RootFact]
    public async Task A_network_and_its_interface_created_together_converge_without_a_transient_UnknownNetwork_or_Warning_Event()
    {
        await using var f = await AgentFixture.StartAsync(1, "un1");
        var before = f.Api.CurrentResourceVersion;

        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        f.SeedNetwork("100M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        var versions = await VersionsSinceAsync(f, before);
        versions.Count.ShouldBeGreaterThanOrEqualTo(2, "created, then status written");
        foreach (var v in versions)
        {
            Condition(v, "Admitted", "reason").ShouldNotBe("UnknownNetwork", v.ToJsonString());
            Condition(v, "Ready", "reason").ShouldNotBe("UnknownNetwork", v.ToJsonString());
        }

        f.Api.Requests.Snapshot().Count(r => r.Resource == "interfacebandwidths" && r.Subresource == "status" && r.StatusCode == 200)
            .ShouldBe(versions.Count - 1, "each status write is one of the versions read back");
        f.Api.List(ResourceType.CoreEvents, "tenant-a").Where(e => (string?)e["type"] == "Warning").Select(e => (string?)e["reason"]).ShouldBeEmpty();
    }

    // The README's uninstall: delete the InterfaceBandwidths and BridgeNetworks, wait until the agents
    // removed their trees, then `helm uninstall` (the agent stops) and delete the CRDs.
    [RootFact]
    public async Task Following_the_README_uninstall_leaves_no_tree_IFB_or_filter_of_ours()
    {
        await using var f = await AgentFixture.StartAsync(2, "un2");
        await InstallAsync(f);

        f.Api.Delete(Ibw, "tenant-a", "vm-a").ShouldBeTrue();
        f.Api.Delete(Ibw, "tenant-a", "vm-b").ShouldBeTrue();
        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        await AgentFixture.UntilAsync(() => NothingOfOurs(f) is null, "the agent to remove the tree, port limits and IFB", TimeSpan.FromSeconds(30));

        await f.StopAgentAsync();

        NothingOfOurs(f).ShouldBeNull();
    }

    // `kubectl delete -k config/default` or deleting the CRDs first: the API server deletes every
    // BridgeNetwork and InterfaceBandwidth (the watches see DELETED), then the kinds are gone (404 on
    // every list and watch). The agent still removes what it made.
    [RootFact]
    public async Task Deleting_the_CRDs_while_the_agent_runs_removes_the_trees()
    {
        await using var f = await AgentFixture.StartAsync(2, "un3");
        await InstallAsync(f);

        f.Api.Delete(Ibw, "tenant-a", "vm-a").ShouldBeTrue();
        f.Api.Delete(Ibw, "tenant-a", "vm-b").ShouldBeTrue();
        f.Api.Delete(ResourceType.BridgeNetworks, null, AgentFixture.Network).ShouldBeTrue();
        // The API server ends the kinds only after the deletions went out on the watches.
        var networks = f.Host.Services.GetRequiredService<ResourceStore<BridgeNetwork>>();
        var interfaces = f.Host.Services.GetRequiredService<ResourceStore<InterfaceBandwidth>>();
        await AgentFixture.UntilAsync(() => networks.Count == 0 && interfaces.Count == 0, "the deletions to reach the agent's caches");
        using var networksGone = f.Api.Faults.FailFraction(1.0, 404, new RequestFilter(Resource: "bridgenetworks"));
        using var interfacesGone = f.Api.Faults.FailFraction(1.0, 404, new RequestFilter(Resource: "interfacebandwidths"));
        f.Api.Faults.DropWatches();

        await AgentFixture.UntilAsync(() => NothingOfOurs(f) is null, "the agent to remove the tree, port limits and IFB", TimeSpan.FromSeconds(30));
        await AgentFixture.UntilAsync(() => networksGone.Hits > 0 && interfacesGone.Hits > 0, "the agent to find both kinds gone");
        NothingOfOurs(f).ShouldBeNull();
        f.Host.Services.GetRequiredService<AgentHealth>().Live.ShouldBeTrue("the agent keeps running without its kinds");
    }

    /// <summary>A network with two floors; vm-a also has inbound and outbound limits (a TBF on its port, an IFB fed from the port's ingress).</summary>
    private static async Task InstallAsync(AgentFixture f)
    {
        var a = f.Topology.Guests[0];
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", a, new JsonObject { ["floor"] = "20M", ["average"] = "50M" }, new JsonObject { ["average"] = "20M" });
        f.SeedInterface("vm-b", f.Topology.Guests[1], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-a", Admitted, TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", Admitted, TimeSpan.FromSeconds(30));
        f.Qdiscs().ShouldContain("qdisc htb 1: root");
        f.Topology.Host.Tc("qdisc", "show", "dev", a.HostPort).ShouldContain("qdisc clsact");
        f.Topology.Host.Tc("qdisc", "show", "dev", f.Topology.TreeDevice("out")).ShouldContain("qdisc htb 1: root");
        f.Topology.Host.Ip("-o", "link", "show", "type", "ifb").ShouldContain("bwin");
    }

    /// <summary>Null when the kernel holds nothing of ours (as iproute2 reads it); else what is left.</summary>
    private static string? NothingOfOurs(AgentFixture f)
    {
        var left = new List<string>();
        var bridge = f.Topology.Host.Tc("qdisc", "show", "dev", BridgeTopology.BridgeName);
        if (bridge.Contains("htb", StringComparison.Ordinal))
        {
            left.Add("br0: " + bridge);
        }

        foreach (var g in f.Topology.Guests)
        {
            // Our hooks (clsact with redirects to our IFBs) and the previous layout's TBF/ingress.
            var port = f.Topology.Host.Tc("qdisc", "show", "dev", g.HostPort);
            if (port.Contains("tbf", StringComparison.Ordinal) || port.Contains("ingress", StringComparison.Ordinal) || port.Contains("clsact", StringComparison.Ordinal))
            {
                left.Add($"{g.HostPort}: {port}");
            }
        }

        // Our IFB devices: the trees' bwin/bwout and the previous layout's bwi<digits>.
        var ifbs = f.Topology.Host.Ip("-o", "link", "show", "type", "ifb");
        if (ifbs.Contains("bwi", StringComparison.Ordinal) || ifbs.Contains("bwout", StringComparison.Ordinal))
        {
            left.Add("IFB: " + ifbs);
        }

        return left.Count == 0 ? null : string.Join('\n', left);
    }

    /// <summary>Every version of the tenant-a InterfaceBandwidths since <paramref name="resourceVersion"/>, replayed by a watch from it.</summary>
    private static async Task<List<JsonObject>> VersionsSinceAsync(AgentFixture f, string resourceVersion)
    {
        using var http = new HttpClient { BaseAddress = f.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var body = await http.GetStringAsync($"/apis/bandwidthoperator.io/v1alpha1/namespaces/tenant-a/interfacebandwidths?watch=true&resourceVersion={resourceVersion}&timeoutSeconds=1");
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(e => (string?)e["type"] is "ADDED" or "MODIFIED")
            .Select(e => e["object"]!.AsObject())];
    }
}
