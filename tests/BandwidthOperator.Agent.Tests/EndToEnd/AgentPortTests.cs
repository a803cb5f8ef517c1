using System.Globalization;
using System.Net.Sockets;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using Xunit.Abstractions;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// Ports come and go: the agent follows link changes from the kernel (RTM_NEWLINK/RTM_DELLINK through
/// its monitor), so a guest port enslaved after the floor was applied is hooked and its floor holds
/// without waiting for the periodic resync (5 minutes here), and a port that goes away leaves nothing of ours.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentPortTests(ITestOutputHelper output)
{
    private const int LateIndex = 9;
    private static readonly ulong Floor = 50_000_000;

    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    [RootFact]
    public async Task A_port_enslaved_after_the_floor_was_applied_is_hooked_and_its_floor_holds_without_a_resync()
    {
        await using var f = await AgentFixture.StartAsync(1, "agp", new Dictionary<string, string?> { ["Agent:ResyncPeriod"] = "01:00:00" });
        f.SeedNetwork("100M");
        var placeholder = new BridgeGuest(LateIndex, f.Topology.Host, "vg" + LateIndex.ToString(CultureInfo.InvariantCulture), BridgeTopology.GuestMac(LateIndex), System.Net.IPAddress.None, System.Net.IPAddress.IPv6None);
        f.SeedInterface("vm-late", placeholder, "50M");
        f.SeedInterface("vm-b", f.Topology.Guests[0], null);

        // The VM has not started: its port does not exist yet.
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-late", o => Condition(o, "Ready", "reason") == "DeviceNotFound", TimeSpan.FromSeconds(30));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => Condition(o, "Ready", "status") == "True", TimeSpan.FromSeconds(30));

        var late = f.Topology.AddGuest(LateIndex);

        await AgentFixture.UntilAsync(
            () => f.Topology.Host.Tc("filter", "show", "dev", late.HostPort, "egress").Contains("Egress Redirect to device " + f.Tree, StringComparison.Ordinal),
            "the late port hooked by a link event (the resync period is an hour)",
            TimeSpan.FromSeconds(10));
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-late", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(10));

        TrafficResult? result = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            result = await TrafficRun.RunAsync(
                f.Topology.External,
                [new FlowGroup(late, 1, AddressFamily.InterNetwork, 5201), new FlowGroup(f.Topology.Guests[0], 4, AddressFamily.InterNetwork, 5202)],
                TimeSpan.FromSeconds(2),
                TimeSpan.FromSeconds(5));
            output.WriteLine(result.ToString());
            if (result[0].MedianGoodput.BitsPerSecond >= (ulong)(0.93 * Floor))
            {
                break;
            }
        }

        result![0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThanOrEqualTo((ulong)(0.93 * Floor), result.ToString());
        f.ClassBytes("1:3").ShouldBeGreaterThan(0L);
    }

    [RootFact]
    public async Task A_port_that_goes_away_leaves_nothing_of_ours_and_its_interface_says_so()
    {
        await using var f = await AgentFixture.StartAsync(2, "agq", new Dictionary<string, string?> { ["Agent:ResyncPeriod"] = "01:00:00" });
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        f.SeedInterface("vm-b", f.Topology.Guests[1], "30M");
        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => ReadyWithClass(o, 4), TimeSpan.FromSeconds(30));
        var port = f.Topology.Guests[1].HostPort;
        f.Topology.Host.Tc("qdisc", "show", "dev", port).ShouldContain("clsact");

        f.Topology.Host.Ip("link", "del", port);

        await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => Condition(o, "Ready", "reason") == "DeviceNotFound", TimeSpan.FromSeconds(10));
        f.Topology.Host.Ip("-o", "link", "show").ShouldNotContain(port + "@");
        // The other guest keeps its hook and class, untouched.
        f.Topology.Host.Tc("filter", "show", "dev", f.Topology.Guests[0].HostPort, "egress").ShouldContain("Egress Redirect to device " + f.Tree);
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 30Mbit");
        // vm-b keeps its class ID for when its port comes back (a VM restarted, a migration target).
        ClassId(await f.Api.WaitForAsync(Ibw, "tenant-a", "vm-b", o => Condition(o, "Ready", "reason") == "DeviceNotFound", TimeSpan.FromSeconds(10))).ShouldBe(4);
    }
}
