using BandwidthOperator.Show;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>The states <c>show</c> gives a class, from rate, floor, ceiling and whether it asks for more.</summary>
public sealed class FloorStateTests
{
    private const ulong M = 1_000_000;

    [Theory]
    [InlineData(18 * M, 100 * M, true, "starved")]
    [InlineData(18 * M, 100 * M, false, "below-floor")]
    [InlineData(0UL, 100 * M, false, "idle")]
    [InlineData(99 * M, 100 * M, true, "at-floor")]
    [InlineData(150 * M, 100 * M, false, "borrowing")]
    [InlineData(150 * M, 100 * M, true, "borrowing")]
    [InlineData(995 * M / 10, 40 * M, true, "borrowing")]
    public void A_floor_class_is_judged_by_rate_and_by_whether_it_asks(ulong rate, ulong floor, bool asking, string state) =>
        FloorState.Of("floor", rate, floor, 1_000 * M, asking).ShouldBe(state);

    [Fact]
    public void A_class_held_below_its_floor_by_its_ceiling_is_starved() =>
        FloorState.Of("floor", 10 * M, 60 * M, 10 * M, asking: true).ShouldBe("starved");

    [Theory]
    [InlineData(99 * M, "full")]
    [InlineData(40 * M, "in-use")]
    [InlineData(0UL, "idle")]
    public void The_network_class_is_full_in_use_or_idle(ulong rate, string state) =>
        FloorState.Of("network", rate, 100 * M, 100 * M, asking: false).ShouldBe(state);
}
