using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.Agent.Tests.EndToEnd;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using Microsoft.Extensions.DependencyInjection;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.Engine;

/// <summary>
/// The kernel view inside the running agent (API-server double, real kernel in a namespace): once the
/// tree is in place, a reconcile of the bridge asks the kernel nothing; a foreign change is still repaired.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentKernelViewTests
{
    [RootFact]
    public async Task In_the_agent_a_reconcile_with_nothing_changed_reads_nothing_and_a_foreign_change_is_repaired()
    {
        await using var f = await AgentFixture.StartAsync(1, "akv");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        f.Host.Services.GetRequiredService<CachingNodeKernel>().Watched.ShouldBeTrue("the tc monitor runs, so the view is served from the cache");
        var queue = f.Host.Services.GetRequiredService<WorkQueue>();
        var metrics = f.Host.Services.GetRequiredService<AgentMetrics>();

        // The kernel announces some consequences of our changes a moment later (an IFB's carrier, MACs
        // learned): once they are in, reconciling the bridge asks the kernel nothing.
        long reads = -1;
        await AgentFixture.UntilAsync(() =>
        {
            reads = ReconcileReads(f, queue, metrics);
            return reads == 0;
        }, "a reconcile of the bridge with nothing changed that reads nothing");

        f.Topology.Host.Tc("class", "change", "dev", f.Tree, "parent", "1:1", "classid", "1:3", "htb", "rate", "1mbit", "ceil", "100mbit");

        await AgentFixture.UntilAsync(() => f.Classes().Contains("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 30Mbit", StringComparison.Ordinal), "the foreign change repaired");
    }

    /// <summary>Enqueues the bridge, waits for one more reconcile to finish, and returns the kernel reads it made.</summary>
    private static long ReconcileReads(AgentFixture f, WorkQueue queue, AgentMetrics metrics)
    {
        var before = f.Kernel.KernelReads;
        var reconciles = metrics.Snapshot().Reconciles;
        queue.Add(BridgeTopology.BridgeName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (metrics.Snapshot().Reconciles <= reconciles && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        return f.Kernel.KernelReads - before;
    }
}
