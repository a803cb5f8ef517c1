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
        s.Guests.Select(g => (g.Name, g.Floor?.ToString(), g.Index, g.Streams)).ShouldBe(
            [("guest-a", "50M", 1, 2), ("guest-b", "30M", 2, 4), ("guest-c", null, 3, 8)]);

        s.Phases.Select(p => p.Name).ShouldBe(["no shaping", "limits only", "floors"]);
        s.Phases[0].Request.ShouldBeNull();
        var limits = s.Phases[1].Request!;
        limits.NodeName.ShouldBe("demo");
        limits.Interfaces.ShouldAllBe(i => i.Spec.Inbound!.Floor == null && i.Spec.Inbound.Average == "33M");
        s.Phases[2].Request!.Interfaces.Select(i => i.Spec.Inbound?.Floor).ShouldBe(["50M", "30M", null]);
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
    }
}
