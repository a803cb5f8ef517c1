using System.Text.Json;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>`show -o json` against a tree the product applied in a namespace: one row per class, with the numbers tc would show.</summary>
[Collection(TrafficCollection.Name)]
public sealed class ShowCommandTests : IDisposable
{
    private readonly CliFixture _f = new(2, "sh");

    public void Dispose() => _f.Dispose();

    [RootFact]
    public async Task Show_json_lists_every_class_with_floor_ceiling_rate_share_drops_and_borrowing()
    {
        var a = _f.Topology.Guests[0];
        var apply = _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", a.Mac, floor: "70M", device: a.HostPort)
            .Interface("vm-b", "tenant-net", _f.Topology.Guests[1].Mac, device: _f.Topology.Guests[1].HostPort));
        apply.ExitCode.ShouldBe(0, apply.ToString());

        // Greedy traffic toward A only, sampled by `show` once it flows (class 1:3 counting) and its TCP
        // windows have grown (2.5 s in: a sample over the ramp averages the climb, while the backlog it
        // sees at its end is already full, and reads "starved" — seen once in CI), well before it ends.
        // Rates are judged against each other, not against what this machine can push.
        var started = DateTime.UtcNow;
        var traffic = TrafficRun.RunAsync(_f.Topology.External, [FlowGroup.IPv4(a, 2)], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_f.ClassBytes("1:3") < 2_000_000 || DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5))
        {
            traffic.IsCompleted.ShouldBeFalse("traffic ended before class 1:3 counted 2 MB");
            DateTime.UtcNow.ShouldBeLessThan(deadline, "class 1:3 never counted 2 MB");
            await Task.Delay(50);
        }

        var run = _f.Run("show", "-o", "json", "--interval", "1");
        var stillFlowing = !traffic.IsCompleted;
        await traffic;

        run.ExitCode.ShouldBe(0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        json.RootElement.GetProperty("timestamp").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        json.RootElement.GetProperty("intervalSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(1);
        var rows = json.RootElement.GetProperty("classes").EnumerateArray().ToDictionary(r => r.GetProperty("class").GetString()!);
        rows.Keys.Order(StringComparer.Ordinal).ShouldBe(["1:1", "1:2", "1:3", "1:ffff"]); // 1:ffff: small packets (ACKs)
        foreach (var r in rows.Values)
        {
            r.GetProperty("bridge").GetString().ShouldBe(BridgeTopology.BridgeName + "/in");
            r.GetProperty("ceilBitsPerSecond").GetUInt64().ShouldBe(100_000_000UL);
            r.GetProperty("dropsInInterval").ValueKind.ShouldBe(JsonValueKind.Number);
            r.GetProperty("dropsTotal").ValueKind.ShouldBe(JsonValueKind.Number);
        }

        stillFlowing.ShouldBeTrue("show sampled while the traffic ran");
        var total = rows["1:1"].GetProperty("rateBitsPerSecond").GetUInt64();
        var floored = rows["1:3"].GetProperty("rateBitsPerSecond").GetUInt64();
        var unfloored = rows["1:2"].GetProperty("rateBitsPerSecond").GetUInt64();
        rows["1:1"].GetProperty("role").GetString().ShouldBe("network");
        rows["1:1"].GetProperty("floorBitsPerSecond").GetUInt64().ShouldBe(100_000_000UL);
        total.ShouldBeGreaterThan(1_000_000UL, run.Stdout);
        rows["1:1"].GetProperty("borrowing").GetBoolean().ShouldBeFalse();
        rows["1:2"].GetProperty("role").GetString().ShouldBe("unfloored");
        rows["1:2"].GetProperty("floorBitsPerSecond").GetUInt64().ShouldBe(29_000_000UL);
        rows["1:2"].GetProperty("shareOfFloorPercent").ValueKind.ShouldBe(JsonValueKind.Null);
        unfloored.ShouldBeLessThan(floored / 10, "only neighbour discovery and the like go to unfloored guests; " + run.Stdout);
        rows["1:3"].GetProperty("role").GetString().ShouldBe("floor");
        rows["1:3"].GetProperty("mac").GetString().ShouldBe(a.Mac.ToString());
        rows["1:3"].GetProperty("name").ValueKind.ShouldBe(JsonValueKind.Null, "no -f: the kernel knows MACs only");
        rows["1:3"].GetProperty("floorBitsPerSecond").GetUInt64().ShouldBe(70_000_000UL);
        floored.ShouldBeGreaterThanOrEqualTo((ulong)(0.9 * total), "A's class carries the tree's traffic; " + run.Stdout);
        floored.ShouldBeLessThanOrEqualTo(total, run.Stdout);
        rows["1:3"].GetProperty("shareOfFloorPercent").GetDouble().ShouldBe(100.0 * floored / 70_000_000, 1.0, run.Stdout);
        rows["1:3"].GetProperty("borrowing").GetBoolean().ShouldBe(floored > 71_400_000UL, run.Stdout);
        rows["1:3"].GetProperty("state").GetString().ShouldBeOneOf(["borrowing", "at-floor"], run.Stdout);
    }

    [RootFact]
    public void Show_json_with_count_prints_one_object_per_line()
    {
        _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", _f.Topology.Guests[0].Mac, floor: "70M")).ExitCode.ShouldBe(0);

        var run = _f.Run("show", "-o", "json", "--interval", "0.2", "--count", "3");

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3, run.Stdout);
        var stamps = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            doc.RootElement.GetProperty("classes").GetArrayLength().ShouldBe(4);
            return doc.RootElement.GetProperty("timestamp").GetDateTimeOffset();
        }).ToList();
        stamps.ShouldBeInOrder(SortDirection.Ascending);
        stamps.Distinct().Count().ShouldBe(3);
    }

    [RootFact]
    public void Show_text_is_plain_and_aligned_when_not_a_terminal()
    {
        var a = _f.Topology.Guests[0];
        _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", a.Mac, floor: "70M", device: a.HostPort)).ExitCode.ShouldBe(0);

        var run = _f.Run("show", "--interval", "0.2");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldNotContain("\u001b");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("BRIDGE");
        lines.Length.ShouldBe(6); // header, 1:1, 1:2, 1:3, 1:ffff, the ports line
        var state = lines[0].IndexOf("STATE", StringComparison.Ordinal);
        lines.Skip(1).Take(4).ShouldAllBe(l => l.Length > state && l[state - 1] == ' ' && l[state] != ' ');
        lines[3].ShouldContain(a.Mac.ToString());
        lines[3].ShouldEndWith("idle");
    }
}
