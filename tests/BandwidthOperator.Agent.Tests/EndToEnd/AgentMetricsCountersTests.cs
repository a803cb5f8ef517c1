using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using BandwidthOperator.Testing.Topology;
using Microsoft.Extensions.DependencyInjection;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The per-interface counters of <c>/metrics</c> come from the interface's classes on the bridge's IFB devices
/// (<c>bwin…</c> inbound, <c>bwout…</c> outbound, label <c>direction</c>), read when Prometheus scrapes — not
/// from the last reconcile's kernel read, which a cached no-op reconcile does not even make.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AgentMetricsCountersTests
{
    [RootFact]
    public async Task Class_counters_are_exported_per_direction_and_read_fresh_at_each_scrape()
    {
        var port = LoopbackPort.Free();
        await using var f = await AgentFixture.StartAsync(1, "amc", new()
        {
            ["Agent:Metrics:Enabled"] = "true",
            ["Agent:Metrics:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Agent:ResyncPeriod"] = "01:00:00", // no resync between the scrapes
        });
        f.SeedNetwork(outbound: "80M");
        var guest = f.Topology.Guests[0];
        f.SeedInterface("vm-a", guest, new JsonObject { ["floor"] = "30M" }, new JsonObject { ["floor"] = "20M" });
        await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a",
            o => ReadyWithClass(o, 3) && (int?)o?["status"]?["outboundClassId"] == 3, TimeSpan.FromSeconds(30));

        // Warm-up: the guest's MAC is learned (an FDB notification, so a reconcile); wait until that has run.
        var metrics = f.Host.Services.GetRequiredService<AgentMetrics>();
        var queue = f.Host.Services.GetRequiredService<WorkQueue>();
        await PingAsync(f, guest, 2);
        await AgentFixture.UntilAsync(() => queue.Count == 0 && queue.DelayedCount == 0, "an idle work queue");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await PingAsync(f, guest, 5);
        var first = await ScrapeAsync(http, port);
        var inFirst = Counter(first, "bytes", "in");
        var outFirst = Counter(first, "bytes", "out");
        inFirst.ShouldBeGreaterThan(0UL, "the inbound class 1:3 on bwin… counted the echo requests\n" + first);
        outFirst.ShouldBeGreaterThan(0UL, "the outbound class 1:3 on bwout… counted the echo replies\n" + first);
        Counter(first, "drops", "in").ShouldBe(0UL);
        Counter(first, "drops", "out").ShouldBe(0UL);
        first.ShouldContain($"bandwidth_operator_interface_floor_bits_per_second{{{Labels("in")}}} 30000000");
        first.ShouldContain($"bandwidth_operator_interface_floor_bits_per_second{{{Labels("out")}}} 20000000");
        first.ShouldContain($"bandwidth_operator_interface_ceiling_bits_per_second{{{Labels("out")}}} 80000000");
        // What the kernel itself says the classes counted (iproute2's tc), no less than the scrape before it.
        TcBytes(f, "in").ShouldBeGreaterThanOrEqualTo((long)inFirst);
        TcBytes(f, "out").ShouldBeGreaterThanOrEqualTo((long)outFirst);
        var reconciles = metrics.Snapshot().Reconciles;

        await PingAsync(f, guest, 5);
        var second = await ScrapeAsync(http, port);

        metrics.Snapshot().Reconciles.ShouldBe(reconciles, "no reconcile ran between the two scrapes");
        Counter(second, "bytes", "in").ShouldBeGreaterThan(inFirst, "the second scrape read the inbound counter again");
        Counter(second, "bytes", "out").ShouldBeGreaterThan(outFirst, "the second scrape read the outbound counter again");
    }

    private static string Labels(string direction) =>
        $"node=\"{AgentFixture.Node}\",namespace=\"tenant-a\",name=\"vm-a\",network=\"{AgentFixture.Network}\",bridge=\"{BridgeTopology.BridgeName}\",class_id=\"3\",direction=\"{direction}\"";

    private static ulong Counter(string text, string what, string direction)
    {
        var line = $"bandwidth_operator_interface_{what}_total{{{Labels(direction)}}} ";
        var match = Regex.Match(text, "(?m)^" + Regex.Escape(line) + "([0-9]+)$");
        match.Success.ShouldBeTrue($"no line '{line}…' in\n{text}");
        return ulong.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static long TcBytes(AgentFixture f, string direction)
    {
        var device = f.Topology.TreeDevice(direction);
        return TcClassCounters.Read(f.Topology.Host, device).TryGetValue("1:3", out var c)
            ? c.Bytes
            : throw new InvalidOperationException($"class 1:3 is not on {device}");
    }

    private static async Task PingAsync(AgentFixture f, BridgeGuest guest, int count)
    {
        for (var i = 0; i < count; i++)
        {
            (await IcmpEcho.PingAsync(f.Topology.External, guest.IPv4, TimeSpan.FromSeconds(10))).ShouldBeTrue($"echo {i + 1} to {guest}");
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient http, int port) =>
        await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

}
