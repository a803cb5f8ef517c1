using System.Diagnostics;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using Xunit.Abstractions;

namespace BandwidthOperator.EndToEnd.Tests.Topology;

public sealed class BridgeTopologyTests(ITestOutputHelper output)
{
    [RootFact]
    public async Task Guests_are_reachable_from_external_over_IPv4_and_IPv6_and_everything_is_removed_afterwards()
    {
        var clock = Stopwatch.StartNew();
        string[] names;
        using (var topology = BridgeTopology.Create(3))
        {
            output.WriteLine($"built in {clock.ElapsedMilliseconds} ms: {string.Join(", ", topology.Namespaces.Select(n => n.Name))}");
            names = [.. topology.Namespaces.Select(n => n.Name)];
            topology.Guests.Count.ShouldBe(3);

            var links = topology.Host.Ip("-o", "link", "show", "master", BridgeTopology.BridgeName);
            foreach (var g in topology.Guests)
            {
                links.ShouldContain(g.HostPort + "@");
                g.Namespace.Ip("-o", "link", "show", BridgeGuest.Device).ShouldContain(g.Mac.ToString());
                (await IcmpEcho.PingAsync(topology.External, g.IPv4, TimeSpan.FromSeconds(15))).ShouldBeTrue($"{g} over IPv4");
                (await IcmpEcho.PingAsync(topology.External, g.IPv6, TimeSpan.FromSeconds(15))).ShouldBeTrue($"{g} over IPv6");
            }

            output.WriteLine($"reachable after {clock.ElapsedMilliseconds} ms");
        }

        var left = HostCommand.Run("ip", "netns", "list");
        foreach (var name in names)
        {
            left.ShouldNotContain(name);
        }
    }

    [RootFact]
    public async Task An_address_outside_the_topology_is_not_answered()
    {
        using var topology = BridgeTopology.Create(1);
        (await IcmpEcho.PingAsync(topology.External, System.Net.IPAddress.Parse("10.77.0.99"), TimeSpan.FromMilliseconds(600))).ShouldBeFalse();
    }
}
