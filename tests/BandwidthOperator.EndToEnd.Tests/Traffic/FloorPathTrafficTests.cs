using System.Globalization;
using System.Net.Sockets;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.EndToEnd.Tests.Cli;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using BandwidthOperator.Testing.Topology;
using Xunit.Abstractions;

namespace BandwidthOperator.EndToEnd.Tests.Traffic;

/// <summary>
/// Floors hold whatever the path (docs/architecture.md): on the L2 topology (the external host on an
/// uplink port of br0, same subnet, no routing) with `bandwidth-operator apply` of a 100M network:
/// <list type="bullet">
/// <item>inbound from the uplink: guest A (floor 50M, one stream) against guest B (four greedy streams);</item>
/// <item>guest to guest: guest C sends to A (one stream) and B (four) — the ACKs back to C must not starve;</item>
/// <item>outbound: A (outbound floor 40M, one stream) and B (four streams) send to the external host through the uplink;</item>
/// <item>a limit without a floor still caps; the control (no floor) shows the check bites.</item>
/// </list>
/// Judged as <see cref="FloorTrafficTests"/>: median per-second goodput ≥ 93% of the floor (mean ≥ 80%),
/// up to three measurements of the same tree.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class FloorPathTrafficTests(ITestOutputHelper output) : IDisposable
{
    private static readonly BitRate Floor = BitRate.Parse("50M");
    private static readonly BitRate OutboundFloor = BitRate.Parse("40M");
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    private readonly CliFixture _fixture = new(3, "fp", l2: true);

    private BridgeTopology Topology => _fixture.Topology;

    private BridgeGuest A => Topology.Guests[0];

    private BridgeGuest B => Topology.Guests[1];

    private BridgeGuest C => Topology.Guests[2];

    public void Dispose() => _fixture.Dispose();

    [RootFact]
    public Task Floor_holds_from_the_uplink_port_over_IPv4() =>
        Holds(Floor, () => Inbound(Topology.External, AddressFamily.InterNetwork), Apply(floor: true), "in");

    [RootFact]
    public Task Floor_holds_from_the_uplink_port_over_IPv6() =>
        Holds(Floor, () => Inbound(Topology.External, AddressFamily.InterNetworkV6), Apply(floor: true), "in");

    [RootFact]
    public Task Floor_holds_guest_to_guest_over_IPv4() =>
        Holds(Floor, () => Inbound(C.Namespace, AddressFamily.InterNetwork), Apply(floor: true, outbound: false), "in");

    [RootFact]
    public Task Floor_holds_guest_to_guest_over_IPv6() =>
        Holds(Floor, () => Inbound(C.Namespace, AddressFamily.InterNetworkV6), Apply(floor: true, outbound: false), "in");

    [RootFact]
    public Task Outbound_floor_holds_toward_the_uplink_over_IPv4() =>
        Holds(OutboundFloor, () => Outbound(AddressFamily.InterNetwork), Apply(floor: true), "out");

    [RootFact]
    public Task Outbound_floor_holds_toward_the_uplink_over_IPv6() =>
        Holds(OutboundFloor, () => Outbound(AddressFamily.InterNetworkV6), Apply(floor: true), "out");

    [RootFact]
    public async Task Without_the_floor_the_single_stream_from_the_uplink_gets_much_less()
    {
        Apply(floor: false);
        var result = await Inbound(Topology.External, AddressFamily.InterNetwork);
        Report(result, "in");
        // The control: the same load and layout without A's floor, so the floor tests can fail.
        result[0].MedianGoodput.BitsPerSecond.ShouldBeLessThan((ulong)(0.6 * Floor.BitsPerSecond), result.ToString());
    }

    [RootFact]
    public async Task Without_the_outbound_floor_the_single_stream_toward_the_uplink_gets_much_less()
    {
        // The control: the same load, the outbound floor moved from A to its greedy neighbour B (90M).
        // (Two senders in separate namespaces sharing one FIFO split it unpredictably, so "no floor at
        // all" is no reliable control outbound; a floored neighbour is.)
        var manifests = Network().Raw($"""
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata:
              name: guest-b
              namespace: e2e
            spec:
              network: tenant-net
              nodeName: {ManifestBuilder.Node}
              macAddress: "{B.Mac}"
              outbound:
                floor: 90M
            """).Interface("guest-a", "tenant-net", A.Mac).Interface("guest-c", "tenant-net", C.Mac);
        var run = _fixture.Apply(manifests);
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = await Outbound(AddressFamily.InterNetwork);
        Report(result, "out");
        result[0].MedianGoodput.BitsPerSecond.ShouldBeLessThan((ulong)(0.6 * OutboundFloor.BitsPerSecond), result.ToString());
    }

    [RootFact]
    public async Task A_limit_without_a_floor_caps_traffic_from_the_uplink()
    {
        var run = _fixture.Apply(Network().Interface("guest-a", "tenant-net", A.Mac, inAverage: "20M"));
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = await TrafficRun.RunAsync(Topology.External, [FlowGroup.IPv4(A, 2)], Warmup, Duration);
        Report(result, "in");
        // 20M on the wire is at most ~19.1M of TCP payload; the uncapped path carries far more (the tree's capacity is 100M).
        result[0].MedianGoodput.BitsPerSecond.ShouldBeLessThanOrEqualTo(21_000_000UL, result.ToString());
        result[0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThan(10_000_000UL, result.ToString());
    }

    /// <summary>
    /// The network: 100M in, and (unless <paramref name="outbound"/> is false) 100M out. Guest-to-guest traffic
    /// passes the sender's outbound tree too, so the guest-to-guest tests measure the inbound tree alone.
    /// </summary>
    private static ManifestBuilder Network(bool outbound = true) => new ManifestBuilder().Raw($"""
        apiVersion: bandwidthoperator.io/v1alpha1
        kind: BridgeNetwork
        metadata:
          name: tenant-net
        spec:
          bridge: {BridgeTopology.BridgeName}
          inbound:
            average: 100M
        {(outbound ? "  outbound:\n    average: 100M" : string.Empty)}
          ports:
            uplinks: [{BridgeTopology.UplinkPort}]
        """);

    private bool Apply(bool floor, bool outbound = true)
    {
        var manifests = Network(outbound).Raw($"""
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata:
              name: guest-a
              namespace: e2e
            spec:
              network: tenant-net
              nodeName: {ManifestBuilder.Node}
              macAddress: "{A.Mac}"
            {(floor ? $"  inbound:\n    floor: {Floor}" : string.Empty)}
            {(floor && outbound ? $"  outbound:\n    floor: {OutboundFloor}" : string.Empty)}
            """)
            .Interface("guest-b", "tenant-net", B.Mac)
            .Interface("guest-c", "tenant-net", C.Mac);
        var run = _fixture.Apply(manifests);
        output.WriteLine(run.ToString());
        run.ExitCode.ShouldBe(0, run.ToString());
        return floor;
    }

    private Task<TrafficResult> Inbound(Lab.Netns.NetworkNamespace source, AddressFamily family) =>
        TrafficRun.RunAsync(source, [new FlowGroup(A, 1, family, 5201), new FlowGroup(B, 4, family, 5202)], Warmup, Duration);

    /// <summary>A and B send to the external host at once (two runs: one source namespace each); A's result first.</summary>
    private async Task<TrafficResult> Outbound(AddressFamily family)
    {
        var ext = Topology.ExternalHost;
        var fromA = TrafficRun.RunAsync(A.Namespace, [new FlowGroup(ext, 1, family, 5301)], Warmup, Duration);
        var fromB = TrafficRun.RunAsync(B.Namespace, [new FlowGroup(ext, 4, family, 5302)], Warmup, Duration);
        var results = await Task.WhenAll(fromA, fromB);
        return new TrafficResult(results[0].Warmup, results[0].Measured, [.. results[0].Groups, .. results[1].Groups]);
    }

    private async Task Holds(BitRate floor, Func<Task<TrafficResult>> contend, bool applied, string direction)
    {
        applied.ShouldBeTrue();
        TrafficResult? result = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            result = await contend();
            Report(result, direction);
            if (result[0].MedianGoodput.BitsPerSecond >= (ulong)(0.93 * floor.BitsPerSecond) && result[0].BitsPerSecond >= 0.80 * floor.BitsPerSecond)
            {
                break;
            }
        }

        result![0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThanOrEqualTo((ulong)(0.93 * floor.BitsPerSecond), result.ToString());
        // The mean, which one stalled second of the in-process generator pulls down (seen: 19.5 in a row of 47s), stays close.
        result[0].BitsPerSecond.ShouldBeGreaterThanOrEqualTo(0.80 * floor.BitsPerSecond, result.ToString());

        // The floored class really carried the traffic (Ready means it passes through the class).
        var counters = TcClassCounters.Read(Topology.Host, Topology.TreeDevice(direction));
        counters["1:3"].Bytes.ShouldBeGreaterThan(0L, _fixture.Classes(Topology.TreeDevice(direction)));
    }

    private void Report(TrafficResult result, string direction)
    {
        foreach (var g in result.Groups)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g}"));
        }

        output.WriteLine(_fixture.Classes(Topology.TreeDevice(direction)));
    }
}
