using System.Diagnostics;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using Xunit.Abstractions;

namespace BandwidthOperator.EndToEnd.Tests.Traffic;

[Collection(TrafficCollection.Name)]
public sealed class TrafficRunTests(ITestOutputHelper output) : IDisposable
{
    private static readonly BitRate Cap = BitRate.Parse("50M");

    private readonly BridgeTopology _topology = BridgeTopology.Create(1, "tr");

    public void Dispose() => _topology.Dispose();

    [RootFact]
    public async Task A_capped_external_link_is_the_bottleneck_and_samples_cover_the_run()
    {
        _topology.CapExternalLink(Cap);
        var result = await TrafficRun.RunAsync(
            _topology.External, [FlowGroup.IPv4(_topology.Guests[0], 2)], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        output.WriteLine(result.ToString());

        var group = result[0];
        // The cap is the bottleneck: uncapped, veths carry several Gbit/s, so neither the mean nor the
        // typical second may exceed it. The typical (median) second is also near it: a one-second stall of
        // the generator on a busy 2-core machine lowers one sample and raises the next (catch-up), but
        // leaves the median where the cap puts it.
        group.BitsPerSecond.ShouldBeLessThanOrEqualTo(1.10 * Cap.BitsPerSecond);
        group.BitsPerSecond.ShouldBeGreaterThan(0.50 * Cap.BitsPerSecond);
        ((double)group.MedianGoodput.BitsPerSecond).ShouldBeInRange(0.80 * Cap.BitsPerSecond, 1.10 * Cap.BitsPerSecond);
        // The measured window is what the samples after warm-up cover, exactly: its length is read off
        // the clock at each snapshot, not assumed. How long that is depends on when the machine lets the
        // snapshot run (a stalled warm-up tick was seen to shorten it to 2.3 s of 3), so the test checks
        // the accounting — lengths and bytes add up — rather than a wall-clock duration.
        var measuredSamples = group.Samples.Where(s => !s.InWarmup).ToList();
        group.Samples.Count.ShouldBe(4);
        group.Samples.Count(s => s.InWarmup).ShouldBe(1);
        measuredSamples.Count.ShouldBe(3);
        measuredSamples.Sum(s => s.Bytes).ShouldBe(group.Bytes);
        TimeSpan.FromTicks(measuredSamples.Sum(s => s.Length.Ticks)).ShouldBe(result.Measured);
        result.Measured.ShouldBeGreaterThan(TimeSpan.Zero);
        // Consecutive samples tile the run: each starts where the previous one ended.
        for (var i = 1; i < group.Samples.Count; i++)
        {
            group.Samples[i].Start.ShouldBe(group.Samples[i - 1].Start + group.Samples[i - 1].Length);
        }
    }

    [RootFact]
    public async Task Cancelling_a_run_ends_it_promptly_and_closes_every_socket()
    {
        _topology.CapExternalLink(Cap);
        var guest = _topology.Guests[0];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var clock = Stopwatch.StartNew();

        await Should.ThrowAsync<OperationCanceledException>(() =>
            TrafficRun.RunAsync(_topology.External, [FlowGroup.IPv6(guest, 3)], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), cts.Token));

        // Not a timing check: uncancelled, this run would last 31 s; ending far short of that shows the
        // token was honoured, whatever the machine's load.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        TcpSockets(_topology.External).ShouldBeEmpty();
        TcpSockets(guest.Namespace).ShouldBeEmpty();

        // The port is free again at once.
        var again = await TrafficRun.RunAsync(_topology.External, [FlowGroup.IPv6(guest, 1)], TimeSpan.Zero, TimeSpan.FromSeconds(1));
        again[0].Bytes.ShouldBeGreaterThan(0);
    }

    private static string[] TcpSockets(BandwidthOperator.Lab.Netns.NetworkNamespace ns) =>
        ns.Exec("ss", "-H", "-tan").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
