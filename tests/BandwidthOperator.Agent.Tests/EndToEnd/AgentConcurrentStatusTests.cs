using System.Globalization;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.ApiServerDouble;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// Status writes go out concurrently (<see cref="BridgeReconciler.StatusWriteConcurrency"/> at once),
/// and still every class ID is in the API before the kernel carries any class: with more interfaces
/// than writes in flight, one refused class-ID write keeps the whole tree out of the kernel.
/// Follows the recorded status merge patches (15) and 503 answers (68).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentConcurrentStatusTests
{
    private const int Interfaces = 40;

    [RootFact]
    public async Task With_many_interfaces_one_refused_class_id_write_keeps_every_class_out_of_the_kernel()
    {
        Interfaces.ShouldBeGreaterThan(BridgeReconciler.StatusWriteConcurrency * 2);
        await using var f = await AgentFixture.StartAsync(1, "acs");
        // One InterfaceBandwidth in the middle whose status writes the API refuses; the others' are slowed
        // a little, so many are in flight at once.
        var refuse = f.Api.Faults.FailNext(100_000, 503, new RequestFilter(Subresource: "status", Name: "vm-17", Method: "PATCH"));
        using var slow = f.Api.Faults.AddLatency(TimeSpan.FromMilliseconds(20), RequestFilter.StatusWrites);
        f.SeedNetwork("10G");
        for (var i = 0; i < Interfaces; i++)
        {
            f.Api.Seed(new JsonObject
            {
                ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                ["kind"] = "InterfaceBandwidth",
                ["metadata"] = new JsonObject { ["name"] = $"vm-{i:D2}", ["namespace"] = "tenant-a" },
                ["spec"] = new JsonObject
                {
                    ["network"] = AgentFixture.Network,
                    ["nodeName"] = AgentFixture.Node,
                    ["macAddress"] = string.Create(CultureInfo.InvariantCulture, $"52:54:00:aa:00:{i:x2}"),
                    ["inbound"] = new JsonObject { ["floor"] = "10M" },
                },
            });
        }

        // The other class IDs are written (concurrently), vm-17's refused again and again: no class reaches the kernel.
        await AgentFixture.UntilAsync(
            () => f.Api.Requests.Snapshot().Count(r => r.Injected && r.Name == "vm-17" && r.StatusCode == 503) >= 3
                && Enumerable.Range(0, Interfaces).Count(i => ClassId(f.Api.Get(ResourceType.InterfaceBandwidths, "tenant-a", $"vm-{i:D2}")) is not null) == Interfaces - 1,
            "the other class IDs written and vm-17's refused", TimeSpan.FromSeconds(60));
        f.Classes().ShouldNotContain("parent 1:1 leaf");

        refuse.Dispose();
        foreach (var i in Enumerable.Range(0, Interfaces))
        {
            var o = await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", $"vm-{i:D2}", Admitted, TimeSpan.FromSeconds(60));
            var id = ClassId(o)!.Value;
            f.Classes().ShouldContain(string.Create(CultureInfo.InvariantCulture, $"class htb 1:{id:x} parent 1:1 leaf {id:x}: prio 1 rate 10Mbit"));
        }

        // Ready is written once per interface, by the concurrent writes of step 3 (none lost, none twice).
        f.Api.Requests.Snapshot()
            .Where(r => r.Subresource == "status" && r.Resource == "interfacebandwidths" && r.StatusCode == 200)
            .GroupBy(r => r.Name).Count().ShouldBe(Interfaces);
    }
}
