using System.Text.Json;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// `show` answers "is my floor holding?": with traffic from the Lab's generator, a starved floor, a guest
/// using less than its floor and a borrowing guest get different states. The states are judged from the
/// class statistics (queue, drops, ceiling hits, bytes), not from how fast this machine is.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class ShowFloorHoldingTests : IDisposable
{
    private readonly CliFixture _f = new(2, "shw");

    public void Dispose() => _f.Dispose();

    private BridgeGuest A => _f.Topology.Guests[0];

    private ManifestBuilder Manifests(string floor = "40M") => new ManifestBuilder()
        .Network("tenant-net", BridgeTopology.BridgeName, "100M")
        .Interface("vm-a", "tenant-net", A.Mac, floor: floor, device: A.HostPort);

    /// <summary>Class 1:3 (vm-a's floor) from `show -o json -f manifests`, sampled in the middle of the traffic.</summary>
    private async Task<JsonElement> ShowDuring(FlowGroup? traffic, ManifestBuilder manifests)
    {
        var path = manifests.Write(_f.Dir, "labels.yaml");
        var run = traffic is null ? Task.FromResult<TrafficResult?>(null) : Run(traffic);
        await Task.Delay(TimeSpan.FromSeconds(traffic is null ? 0 : 1.5));
        var show = _f.Run("show", "-o", "json", "--interval", "1", "-f", path);
        await run;

        show.ExitCode.ShouldBe(0, show.ToString());
        using var json = JsonDocument.Parse(show.Stdout);
        return json.RootElement.GetProperty("classes").EnumerateArray().Single(r => r.GetProperty("class").GetString() == "1:3").Clone();
    }

    private async Task<TrafficResult?> Run(FlowGroup group) =>
        await TrafficRun.RunAsync(_f.Topology.External, [group], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

    [RootFact]
    public async Task A_guest_sending_less_than_its_floor_is_below_floor_and_not_asking()
    {
        _f.Apply(Manifests()).ExitCode.ShouldBe(0);

        var row = await ShowDuring(FlowGroup.IPv4(A, 1) with { PacedTo = BitRate.Parse("10M") }, Manifests());

        row.GetProperty("state").GetString().ShouldBe("below-floor", row.ToString());
        row.GetProperty("asking").GetBoolean().ShouldBeFalse(row.ToString());
        row.GetProperty("dropsInInterval").GetUInt64().ShouldBe(0UL, row.ToString());
        row.GetProperty("rateBitsPerSecond").GetUInt64().ShouldBeGreaterThan(0UL, row.ToString());
        row.GetProperty("name").GetString().ShouldBe("e2e/vm-a");
        row.GetProperty("mac").GetString().ShouldBe(A.Mac.ToString());
    }

    [RootFact]
    public async Task A_greedy_guest_alone_on_the_bridge_is_borrowing()
    {
        _f.Apply(Manifests("20M")).ExitCode.ShouldBe(0);

        var row = await ShowDuring(FlowGroup.IPv4(A, 2), Manifests("20M"));

        row.GetProperty("state").GetString().ShouldBe("borrowing", row.ToString());
        row.GetProperty("borrowing").GetBoolean().ShouldBeTrue(row.ToString());
        row.GetProperty("shareOfFloorPercent").GetDouble().ShouldBeGreaterThan(102, row.ToString());
    }

    [RootFact]
    public async Task A_floor_held_below_what_it_asks_for_is_starved()
    {
        _f.Apply(Manifests("60M")).ExitCode.ShouldBe(0);

        // Something outside the product squeezes vm-a's class to 10M: it asks for more and gets less than its floor.
        _f.Topology.Host.Tc("class", "change", "dev", _f.Tree, "parent", "1:1", "classid", "1:3", "htb", "rate", "10mbit", "ceil", "10mbit");
        var row = await ShowDuring(FlowGroup.IPv4(A, 2), Manifests("60M"));

        row.GetProperty("state").GetString().ShouldBe("starved", row.ToString());
        row.GetProperty("asking").GetBoolean().ShouldBeTrue(row.ToString());
        row.GetProperty("requestedFloorBitsPerSecond").GetUInt64().ShouldBe(60_000_000UL);
        row.GetProperty("floorBitsPerSecond").GetUInt64().ShouldBe(10_000_000UL);
        row.GetProperty("shareOfFloorPercent").GetDouble().ShouldBeLessThan(FloorStateHeld, row.ToString());
    }

    [RootFact]
    public async Task A_guest_without_traffic_is_idle()
    {
        _f.Apply(Manifests()).ExitCode.ShouldBe(0);

        var row = await ShowDuring(null, Manifests());

        row.GetProperty("state").GetString().ShouldBe("idle", row.ToString());
        row.GetProperty("asking").GetBoolean().ShouldBeFalse(row.ToString());
    }

    private const double FloorStateHeld = Show.FloorState.HeldPercent;
}
