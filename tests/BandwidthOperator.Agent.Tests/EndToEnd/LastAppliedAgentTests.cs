using BandwidthOperator.ApiServerDouble;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// An edit the CRD schema accepts but the agent refuses (a floor above the interface's own average)
/// does not drop the floor that was working: the class stays, the status says why. The spec change
/// follows the recorded exchange 11-put-spec-change-status-ignored (generation 1 → 2), the status
/// write 15-patch-merge-status.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class LastAppliedAgentTests
{
    [RootFact]
    public async Task An_edit_the_agent_refuses_keeps_the_applied_floor_and_says_why()
    {
        await using var f = await AgentFixture.StartAsync(1, "agk");
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "20M");
        await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        var applied = f.Classes();
        applied.ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 20Mbit");

        f.Api.Modify(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a", o =>
        {
            o["spec"]!["inbound"]!["floor"] = "80M";
            o["spec"]!["inbound"]!["average"] = "50M";
        });

        var edited = await f.Api.WaitForAsync(
            ResourceType.InterfaceBandwidths,
            "tenant-a",
            "vm-a",
            o => (long?)o?["status"]?["observedGeneration"] == 2,
            TimeSpan.FromSeconds(30));
        Condition(edited, "Admitted", "status").ShouldBe("False");
        Condition(edited, "Admitted", "reason").ShouldBe("InvalidSpec");
        Condition(edited, "Admitted", "message")!.ShouldContain("spec.inbound.floor: floor 80M is above average 50M");
        Condition(edited, "Admitted", "message")!.ShouldContain("the floor 20M (class 1:3)");
        Condition(edited, "Ready", "status").ShouldBe("True");
        Condition(edited, "Ready", "reason").ShouldBe("LastAppliedKept");
        ((int?)edited!["status"]!["classId"]).ShouldBe(3);
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 20Mbit");
        f.Topology.Host.Tc("filter", "show", "dev", f.Tree).ShouldContain("flowid 1:3");
    }
}
