using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Demo;

namespace BandwidthOperator.EndToEnd.Tests.Demo;

/// <summary>The demo's scenario, from the manifests built into the executable (no root needed).</summary>
public sealed class DemoScenarioTests
{
    private static string SamplesDir => RepositoryRoot.Combine("config", "samples", "demo");

    [Fact]
    public void Built_in_manifests_are_config_samples_demo()
    {
        var builtIn = DemoScenario.Load(null, "demo");
        var files = DemoScenario.Load(SamplesDir, "demo");
        builtIn.Guests.ShouldBe(files.Guests);
        builtIn.Capacity.ShouldBe(files.Capacity);
        files.Manifests.Networks.Count.ShouldBe(1);
        files.Manifests.Interfaces.Count.ShouldBe(3);
    }

    [Fact]
    public void Three_phases_no_tree_then_limits_only_then_the_floors_as_written()
    {
        var s = DemoScenario.Load(null, "demo");
        s.Capacity.ShouldBe(BitRate.Parse("100M"));
        s.OutboundCapacity.ShouldBe(BitRate.Parse("100M"));
        s.Guests.Select(g => (g.Name, g.Floor?.ToString(), g.Index, g.Streams, g.OutboundFloor?.ToString())).ShouldBe(
            [("guest-a", "50M", 1, 2, "40M"), ("guest-b", "30M", 2, 4, null), ("guest-c", null, 3, 8, null)]);

        s.Phases.Select(p => p.Name).ShouldBe(["no shaping", "limits only", "floors"]);
        s.Phases[0].Request.ShouldBeNull();
        var limits = s.Phases[1].Request!;
        limits.NodeName.ShouldBe("demo");
        limits.Interfaces.ShouldAllBe(i => i.Spec.Inbound!.Floor == null && i.Spec.Inbound.Average == "33M");
        limits.Interfaces.ShouldAllBe(i => i.Spec.Outbound!.Floor == null && i.Spec.Outbound.Average == "33M");
        s.Phases[2].Request!.Interfaces.Select(i => i.Spec.Inbound?.Floor).ShouldBe(["50M", "30M", null]);
        s.Phases[2].Request!.Interfaces.Select(i => i.Spec.Outbound?.Floor).ShouldBe(["40M", null, null]);
    }

    [Fact]
    public void Another_node_name_matches_no_interface()
    {
        Should.Throw<ManifestException>(() => DemoScenario.Load(null, "elsewhere")).Message.ShouldContain("--node");
    }

    [Fact]
    public void A_floor_holds_at_93_percent_of_it_in_goodput()
    {
        var g = new DemoGuest("g", BitRate.Parse("50M"), 1, 2);
        g.Held(BitRate.Parse("46500k")).ShouldBeTrue();
        g.Held(BitRate.Parse("46499k")).ShouldBeFalse();
        new DemoGuest("c", null, 3, 8).Held(BitRate.Zero).ShouldBeTrue();

        // Outbound the same rule, against the outbound floor.
        var a = new DemoGuest("a", null, 1, 2, BitRate.Parse("40M"));
        a.Held(DemoDirection.Outbound, BitRate.Parse("37200k")).ShouldBeTrue();
        a.Held(DemoDirection.Outbound, BitRate.Parse("37199k")).ShouldBeFalse();
        a.Held(DemoDirection.Inbound, BitRate.Zero).ShouldBeTrue("no inbound floor");
    }

    [Fact]
    public void The_verdict_needs_every_floor_of_the_floors_phase_inbound_and_outbound()
    {
        var s = DemoScenario.Load(null, "demo");
        var a = s.Guests[0];
        DemoPhaseResult Part(DemoPhase phase, DemoDirection d, string aGot) =>
            new(phase, d, 0, 5, [new DemoGuestResult(a, d, BitRate.Parse(aGot), []), .. s.Guests.Skip(1).Select(g => new DemoGuestResult(g, d, BitRate.Parse("100M"), []))]);

        var held = new DemoResult([Part(s.Phases[1], DemoDirection.Outbound, "1M"), Part(s.Phases[2], DemoDirection.Inbound, "48M"), Part(s.Phases[2], DemoDirection.Outbound, "38M")], TimeSpan.Zero);
        held.FloorsHeld.ShouldBeTrue("an earlier phase's miss does not count");
        new DemoResult([Part(s.Phases[2], DemoDirection.Inbound, "48M"), Part(s.Phases[2], DemoDirection.Outbound, "37M")], TimeSpan.Zero).FloorsHeld.ShouldBeFalse("outbound 37M < 93% of 40M");
        new DemoResult([Part(s.Phases[2], DemoDirection.Inbound, "46M"), Part(s.Phases[2], DemoDirection.Outbound, "38M")], TimeSpan.Zero).FloorsHeld.ShouldBeFalse("inbound 46M < 93% of 50M");
        new DemoResult([Part(s.Phases[2], DemoDirection.Inbound, "48M")], TimeSpan.Zero).FloorsHeld.ShouldBeFalse("outbound was not measured");
    }
}
