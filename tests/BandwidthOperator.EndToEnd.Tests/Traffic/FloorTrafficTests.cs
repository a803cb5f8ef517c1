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
/// The floor holds under contention, with the tree the product builds (`bandwidth-operator apply` on
/// manifests, through rtnetlink): BridgeNetwork inbound.average 100M on br0 (the routed path: the tree is on br0's inbound IFB, fed by the guest ports), guest A a 70M floor and
/// one TCP stream, guest B no floor and four greedy streams. The control run uses the same engine
/// with A's floor removed, so the floor test can fail.
/// HTB shapes wire bytes (the Ethernet frame, 1514 per full segment) while goodput is TCP payload
/// (1448 over IPv4, 1428 over IPv6, with timestamps): a floor class held at exactly its rate yields
/// 95.6% (IPv4) or 94.3% (IPv6) of the floor in goodput. Here 1:2's, 1:ffff's (small packets) and 1:3's rates fill 1:1, so
/// there is nothing left to borrow and 93% holds only because HTB keeps 1:3 at its full rate.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class FloorTrafficTests(ITestOutputHelper output) : IDisposable
{
    private static readonly BitRate Total = BitRate.Parse("100M");
    private static readonly BitRate Floor = BitRate.Parse("70M");
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    private readonly CliFixture _fixture = new(2, "fl");

    private BridgeTopology Topology => _fixture.Topology;

    private BridgeGuest A => Topology.Guests[0];

    private BridgeGuest B => Topology.Guests[1];

    public void Dispose() => _fixture.Dispose();

    [RootFact]
    public Task Floored_guest_gets_93_percent_of_its_floor_against_four_greedy_streams_over_IPv4() =>
        FloorHolds(AddressFamily.InterNetwork);

    [RootFact]
    public Task Floored_guest_gets_93_percent_of_its_floor_against_four_greedy_streams_over_IPv6() =>
        FloorHolds(AddressFamily.InterNetworkV6);

    [RootFact]
    public async Task Unfloored_guest_borrows_the_whole_bridge_while_the_floored_one_is_idle()
    {
        BuildTree(withFloor: true);
        var result = await TrafficRun.RunAsync(Topology.External, [FlowGroup.IPv4(B, 4)], Warmup, Duration);
        Report(result);
        // What the shaping controls, not what this machine can push: B's class 1:2 has rate 30M (100M − the
        // 70M floor) and ceiling 100M. Borrowing shows as well above 30M; the ceiling caps it at 100M on
        // the wire (less in goodput). Without borrowing it would stay at 30M, without shaping exceed 100M.
        var unflooredRate = Total.BitsPerSecond - Floor.BitsPerSecond;
        result[0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThanOrEqualTo((ulong)(1.5 * unflooredRate), result.ToString());
        result[0].BitsPerSecond.ShouldBeLessThanOrEqualTo(1.01 * Total.BitsPerSecond, result.ToString());
    }

    [RootFact]
    public async Task Without_the_floor_the_single_stream_gets_much_less()
    {
        BuildTree(withFloor: false);
        var result = await Contend(AddressFamily.InterNetwork);
        Report(result);
        // The control: the same load without the floor class, so the floor test can fail.
        result[0].BitsPerSecond.ShouldBeLessThan(0.5 * Floor.BitsPerSecond, result.ToString());
        result[0].MedianGoodput.BitsPerSecond.ShouldBeLessThan((ulong)(0.5 * Floor.BitsPerSecond), result.ToString());
    }

    private async Task FloorHolds(AddressFamily family)
    {
        BuildTree(withFloor: true);

        // A measurement on a shared 2-core machine can be spoiled by the generator itself (every flow
        // stalls at once, then catches up); up to two more measurements of the same tree are allowed. A floor
        // that does not hold fails all three (the control test shows what that looks like).
        TrafficResult? result = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var before = TcClassCounters.Read(Topology.Host, Topology.TreeDevice())["1:3"];
            result = await Contend(family);
            var after = TcClassCounters.Read(Topology.Host, Topology.TreeDevice())["1:3"];
            Report(result);
            var wire = after.Bytes - before.Bytes;
            var payload = result[0].Samples.Sum(s => s.Bytes);
            var seconds = result[0].Samples.Sum(s => s.Length.TotalSeconds);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"attempt {attempt}: class 1:3 carried {wire * 8 / seconds / 1e6:0.00} Mbit/s on the wire over the whole run; payload/wire = {(double)payload / wire:0.0000}"));
            if (Holds(result[0]))
            {
                break;
            }
        }

        // The typical second must reach 93% of the floor; the mean, which one stall of the in-process
        // generator can pull down, must still be close.
        result![0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThanOrEqualTo((ulong)(0.93 * Floor.BitsPerSecond), result.ToString());
        result[0].BitsPerSecond.ShouldBeGreaterThanOrEqualTo(0.85 * Floor.BitsPerSecond, result.ToString());
    }

    private static bool Holds(FlowGroupResult r) =>
        r.MedianGoodput.BitsPerSecond >= (ulong)(0.93 * Floor.BitsPerSecond) && r.BitsPerSecond >= 0.85 * Floor.BitsPerSecond;

    private Task<TrafficResult> Contend(AddressFamily family) =>
        TrafficRun.RunAsync(
            Topology.External,
            [new FlowGroup(A, 1, family, 5201), new FlowGroup(B, 4, family, 5202)],
            Warmup,
            Duration);

    private void BuildTree(bool withFloor)
    {
        var manifests = new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, Total.ToString())
            .Interface("guest-a", "tenant-net", A.Mac, floor: withFloor ? Floor.ToString() : null)
            .Interface("guest-b", "tenant-net", B.Mac);
        var run = _fixture.Apply(manifests);
        run.ExitCode.ShouldBe(0, run.ToString());
        output.WriteLine(run.Stdout);
    }

    private void Report(TrafficResult result)
    {
        foreach (var g in result.Groups)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g} = {100 * g.BitsPerSecond / Floor.BitsPerSecond:0.0}% of 70M"));
        }

        output.WriteLine(Topology.Host.Tc("-s", "class", "show", "dev", Topology.TreeDevice()));
    }
}
