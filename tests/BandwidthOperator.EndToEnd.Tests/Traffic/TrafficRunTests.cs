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
        // The cap is the bottleneck: uncapped, veths carry several Gbit/s. Per-second windows on a busy
        // 2-core machine shift bytes across the window's edges, hence the margin on both sides.
        group.BitsPerSecond.ShouldBeInRange(0.80 * Cap.BitsPerSecond, 1.10 * Cap.BitsPerSecond);
        // The measured window is the sum of the post-warm-up samples; on a busy machine the last one can
        // close a few hundred milliseconds early when the senders stop.
        result.Measured.TotalSeconds.ShouldBeInRange(2.5, 3.5);
        group.Samples.Count.ShouldBe(4);
        group.Samples.Count(s => s.InWarmup).ShouldBe(1);
        group.Samples.Where(s => !s.InWarmup).Sum(s => s.Bytes).ShouldBe(group.Bytes);
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

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
        TcpSockets(_topology.External).ShouldBeEmpty();
        TcpSockets(guest.Namespace).ShouldBeEmpty();

        // The port is free again at once.
        var again = await TrafficRun.RunAsync(_topology.External, [FlowGroup.IPv6(guest, 1)], TimeSpan.Zero, TimeSpan.FromSeconds(1));
        again[0].Bytes.ShouldBeGreaterThan(0);
    }

    private static string[] TcpSockets(BandwidthOperator.Lab.Netns.NetworkNamespace ns) =>
        ns.Exec("ss", "-H", "-tan").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
