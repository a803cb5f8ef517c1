using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.Agent.Tests.EndToEnd;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Tests.Reconcile;

/// <summary>
/// The reconciler without root: the whole agent loop on a <see cref="FakeNodeKernel"/>, against the
/// API-server double over real KubernetesClient HTTP. Watches follow recorded exchanges 25–26 (list,
/// then watch from its resourceVersion) and 30–31 (a field selector on list and watch).
/// </summary>
public sealed class BridgeReconcilerTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    [Fact]
    public async Task Reconciling_one_bridge_never_reads_plans_or_writes_another_bridge()
    {
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            FakeKernelAgent.Bridge(k, api, 1, "br-a", "net-a", 2);
            FakeKernelAgent.Bridge(k, api, 2, "br-b", "net-b", 2);
        });
        await AgentFixture.UntilAsync(() => agent.AllReady("net-a") && agent.AllReady("net-b"), "both bridges' interfaces Ready");
        await agent.UntilIdleAsync("the first passes");
        var bDevices = agent.Kernel.DevicesOf("br-b");
        var bTree = agent.Kernel.On(bDevices.Single(d => d.StartsWith("bwi", StringComparison.Ordinal) && agent.Kernel.On(d).Count > 0));
        var bVersions = agent.Api.List(Ibw).Where(o => (string?)o["spec"]?["network"] == "net-b").Select(o => (string?)o["metadata"]?["resourceVersion"]).ToList();

        // br-b drifts (no monitor tells the agent); a pass of br-a must neither see nor repair it.
        foreach (var device in bDevices)
        {
            agent.Kernel.Drop(device);
        }

        agent.Kernel.Applies.Clear();
        agent.Kernel.Reads.Clear();
        var a = await agent.Reconciler.ReconcileAsync("br-a", CancellationToken.None);

        a.Succeeded.ShouldBeTrue(a.Failure);
        a.BridgesPlanned.ShouldBe(["br-a"]);
        a.KernelOperations.ShouldBe(0, "br-a was converged; br-b's drift is not its business");
        a.StatusesWritten.ShouldBeEmpty();
        agent.Kernel.Reads.ShouldAllBe(r => r.SequenceEqual(new[] { "br-a" }));
        agent.Kernel.Applies.ShouldBeEmpty();
        agent.Api.List(Ibw).Where(o => (string?)o["spec"]?["network"] == "net-b").Select(o => (string?)o["metadata"]?["resourceVersion"]).ShouldBe(bVersions);

        // The pass of br-b repairs it, and touches nothing of br-a.
        var b = await agent.Reconciler.ReconcileAsync("br-b", CancellationToken.None);
        b.Succeeded.ShouldBeTrue(b.Failure);
        b.BridgesPlanned.ShouldBe(["br-b"]);
        b.KernelOperations.ShouldBeGreaterThan(0);
        agent.Kernel.DevicesWritten().ShouldAllBe(d => bDevices.Contains(d));
        agent.Kernel.On(bTree[0].Device).ShouldBe(bTree, ignoreOrder: true);
    }

    [Fact]
    public async Task A_deleted_network_loses_its_objects_and_the_other_bridge_keeps_its_own()
    {
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            FakeKernelAgent.Bridge(k, api, 1, "br-a", "net-a", 2);
            FakeKernelAgent.Bridge(k, api, 2, "br-b", "net-b", 2);
        });
        await AgentFixture.UntilAsync(() => agent.AllReady("net-a") && agent.AllReady("net-b"), "both bridges' interfaces Ready");
        await agent.UntilIdleAsync("the first passes");
        var aDevices = agent.Kernel.DevicesOf("br-a");
        var bDevices = agent.Kernel.DevicesOf("br-b");
        var aObjects = aDevices.SelectMany(agent.Kernel.On).ToList();
        bDevices.SelectMany(agent.Kernel.On).ShouldNotBeEmpty();
        agent.Kernel.Applies.Clear();

        agent.Api.Delete(ResourceType.BridgeNetworks, null, "net-b").ShouldBeTrue();

        await AgentFixture.UntilAsync(() => !bDevices.SelectMany(agent.Kernel.On).Any(), "our objects gone from br-b, its ports and its IFBs");
        await AgentFixture.UntilAsync(
            () => agent.Api.List(Ibw).Where(o => (string?)o["spec"]?["network"] == "net-b").All(o => FakeKernelAgent.Reason(o, "Admitted") == "UnknownNetwork"),
            "net-b's interfaces told their network is gone", TimeSpan.FromSeconds(40));
        agent.Kernel.DevicesWritten().ShouldAllBe(d => bDevices.Contains(d));
        aDevices.SelectMany(agent.Kernel.On).ShouldBe(aObjects, ignoreOrder: true);
        agent.AllReady("net-a").ShouldBeTrue();
    }

    [Fact]
    public async Task A_network_moved_to_another_bridge_leaves_the_old_one()
    {
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            FakeKernelAgent.Bridge(k, api, 1, "br-a", "net-a", 2);
            k.AddBridge("br-c", 0);
        });
        await AgentFixture.UntilAsync(() => agent.AllReady("net-a"), "net-a's interfaces Ready");
        var aDevices = agent.Kernel.DevicesOf("br-a");
        aDevices.SelectMany(agent.Kernel.On).ShouldNotBeEmpty();

        agent.Api.Modify(ResourceType.BridgeNetworks, null, "net-a", o => o["spec"]!["bridge"] = "br-c");

        await AgentFixture.UntilAsync(() => !aDevices.SelectMany(agent.Kernel.On).Any(), "our objects gone from the old bridge");
        await AgentFixture.UntilAsync(() => agent.Kernel.DevicesOf("br-c").SelectMany(agent.Kernel.On).Any(), "the tree on the new bridge");
    }

    [Fact]
    public async Task A_node_label_change_reconciles_through_the_watch_without_a_get()
    {
        // Recorded exchange 12: a label-only update changes resourceVersion, not generation; 30-31: the
        // watch with a field selector (here metadata.name) sees it as MODIFIED.
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            k.AddBridge("br-a", 1);
            k.Learn("br-a", FakeKernelAgent.Mac(1, 0), "br-ap0");
            api.Seed(FakeKernelAgent.Network("net-a", "br-a", more: new JsonObject { ["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["zone"] = "a" } } }));
            api.Seed(InterfaceManifest.Json("vm", "net-a", FakeKernelAgent.Node, FakeKernelAgent.Mac(1, 0).ToString(), "br-ap0", new JsonObject { ["floor"] = "10M" }));
        }, nodeLabels: new JsonObject { ["zone"] = "b" });
        await agent.Api.WaitForAsync(Ibw, "tenant-a", "vm", o => FakeKernelAgent.Reason(o, "Admitted") == "NetworkNotOnNode", TimeSpan.FromSeconds(20));
        agent.Kernel.Applies.ShouldBeEmpty();

        agent.Api.Modify(ResourceType.Nodes, null, FakeKernelAgent.Node, o => o["metadata"]!["labels"] = new JsonObject { ["zone"] = "a" });

        await agent.Api.WaitForAsync(Ibw, "tenant-a", "vm", FakeKernelAgent.Ready, TimeSpan.FromSeconds(20));
        agent.Kernel.Applies.ShouldNotBeEmpty();
        var requests = agent.Api.Requests.Snapshot();
        requests.ShouldContain(r => r.Verb == "watch" && r.Resource == "nodes" && r.Query.Contains("fieldSelector=metadata.name", StringComparison.Ordinal));
        requests.ShouldNotContain(r => r.Verb == "get" && r.Resource == "nodes", "labels come from the watch, not a GET per reconcile");
    }

    [Fact]
    public async Task A_namespace_label_change_reconciles_its_interfaces_through_a_watch_started_by_the_selector()
    {
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            k.AddBridge("br-a", 1);
            k.Learn("br-a", FakeKernelAgent.Mac(1, 0), "br-ap0");
            api.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "tenant-a", ["labels"] = new JsonObject { ["team"] = "red" } } });
            api.Seed(FakeKernelAgent.Network("net-a", "br-a"));
            api.Seed(InterfaceManifest.Json("vm", "net-a", FakeKernelAgent.Node, FakeKernelAgent.Mac(1, 0).ToString(), "br-ap0", new JsonObject { ["floor"] = "10M" }));
        });
        await agent.Api.WaitForAsync(Ibw, "tenant-a", "vm", FakeKernelAgent.Ready, TimeSpan.FromSeconds(20));
        agent.Api.Requests.Snapshot().ShouldNotContain(r => r.Resource == "namespaces", "no selector needs namespace labels yet");

        // A selector appears: the Namespace watch starts; the namespace does not match.
        agent.Api.Modify(ResourceType.BridgeNetworks, null, "net-a",
            o => o["spec"]!["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["team"] = "blue" } });
        await agent.Api.WaitForAsync(Ibw, "tenant-a", "vm", o => FakeKernelAgent.Reason(o, "Admitted") == "NamespaceNotAllowed", TimeSpan.FromSeconds(20));

        // Its labels change: the watch enqueues the interface's bridge.
        agent.Api.Modify(ResourceType.Namespaces, null, "tenant-a", o => o["metadata"]!["labels"] = new JsonObject { ["team"] = "blue" });
        await agent.Api.WaitForAsync(Ibw, "tenant-a", "vm", FakeKernelAgent.Ready, TimeSpan.FromSeconds(20));

        var requests = agent.Api.Requests.Snapshot();
        requests.ShouldContain(r => r.Verb == "watch" && r.Resource == "namespaces");
        requests.ShouldNotContain(r => r.Verb == "get" && r.Resource == "namespaces");
    }

    [Fact]
    public async Task Class_ids_reach_the_api_before_the_kernel_gets_the_classes()
    {
        var checkedClasses = 0;
        var violations = new List<string>();
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            FakeKernelAgent.Bridge(k, api, 1, "br-a", "net-a", 3);
            k.BeforeApply = ops =>
            {
                var stored = api.List(ResourceType.InterfaceBandwidths).Select(o => (int?)o["status"]?["classId"]).ToHashSet();
                foreach (var c in ops.Where(o => o.Verb == TcVerb.Add).Select(o => o.Target).OfType<HtbClass>().Where(c => c.Handle.Major == 1 && Shaping.Allocation.ClassIdAllocator.IsValid(c.Handle.Minor) && c.Device.StartsWith("bwi", StringComparison.Ordinal)))
                {
                    lock (violations)
                    {
                        checkedClasses++;
                        if (!stored.Contains(c.Handle.Minor))
                        {
                            violations.Add($"class 1:{c.Handle.Minor:x} on {c.Device} added before any status carried classId {c.Handle.Minor}");
                        }
                    }
                }
            };
        });
        await AgentFixture.UntilAsync(() => agent.AllReady("net-a"), "net-a's interfaces Ready");

        checkedClasses.ShouldBeGreaterThanOrEqualTo(3);
        violations.ShouldBeEmpty();
        agent.Results.Where(r => r.ClassIdsWritten.Count > 0).ShouldAllBe(r => r.KernelOperations > 0);
    }

    [Fact]
    public async Task A_network_whose_bridge_is_taken_gets_a_not_ready_entry_saying_so()
    {
        // The reconciler finds this network by the plan's typed outcome (NodePlan.NetworkOf(name).IsIssue), not by its message's text.
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            FakeKernelAgent.Bridge(k, api, 1, "br-a", "net-a", 1);
            api.Seed(FakeKernelAgent.Network("net-z", "br-a"));
        });
        var z = await agent.Api.WaitForAsync(ResourceType.BridgeNetworks, null, "net-z",
            o => (o?["status"]?["nodes"] as JsonArray)?.Any(n => (string?)n?["nodeName"] == FakeKernelAgent.Node) == true, TimeSpan.FromSeconds(20));
        var entry = (z!["status"]!["nodes"] as JsonArray)!.Single(n => (string?)n?["nodeName"] == FakeKernelAgent.Node)!;
        ((bool?)entry["ready"]).ShouldBe(false);
        ((string?)entry["message"]).ShouldBe($"BridgeNetwork net-z: bridge br-a is already managed by BridgeNetwork net-a on {FakeKernelAgent.Node}");
        await AgentFixture.UntilAsync(() => agent.AllReady("net-a"), "net-a unaffected");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_resync_runs_one_pass_per_bridge(bool wholeNode)
    {
        const int bridges = 5;
        await using var agent = await FakeKernelAgent.StartAsync((k, api) =>
        {
            for (var b = 0; b < bridges; b++)
            {
                FakeKernelAgent.Bridge(k, api, b, $"br-{b}", $"net-{b}", 3);
            }
        }, new() { ["Agent:WholeNodeReconcile"] = wholeNode ? "true" : "false" });
        await AgentFixture.UntilAsync(() => Enumerable.Range(0, bridges).All(b => agent.AllReady($"net-{b}")), "every interface Ready");
        await agent.UntilIdleAsync("the first passes");
        agent.Kernel.Reads.Clear();
        var from = agent.Results.Count;

        agent.Service.Resync();
        await agent.UntilIdleAsync("the resync");

        var results = agent.ResultsSince(from);
        var bridgeKeys = Enumerable.Range(0, bridges).Select(b => $"br-{b}").ToList();
        results.Select(r => r.Key).Where(k => k.StartsWith("br-", StringComparison.Ordinal)).ShouldBe(bridgeKeys, ignoreOrder: true, "one reconcile per bridge key");
        results.ShouldAllBe(r => r.Succeeded && r.ChangedNothing);
        var reads = agent.Kernel.Reads.ToList();
        if (wholeNode)
        {
            // The baseline: every key plans every bridge (bridges × bridges bridge-plans per resync), the
            // Node's floor resources and the unnamed bridges' keys too.
            reads.Count.ShouldBe(bridges + 2, "a pass with nothing to change reads the kernel once");
            reads.ShouldAllBe(r => r.Length == bridges);
            results.Where(r => r.Key.StartsWith("br-", StringComparison.Ordinal)).ShouldAllBe(r => r.BridgesPlanned.Count == bridges);
        }
        else
        {
            reads.Count.ShouldBe(bridges, "a pass with nothing to change reads the kernel once; the Node's floor resources and (none here) unnamed bridges not at all");
            reads.Select(r => r.Single()).ShouldBe(bridgeKeys, ignoreOrder: true);
            results.Where(r => r.Key.StartsWith("br-", StringComparison.Ordinal)).ShouldAllBe(r => r.BridgesPlanned.Count == 1 && r.BridgesPlanned[0] == r.Key);
        }
    }
}
