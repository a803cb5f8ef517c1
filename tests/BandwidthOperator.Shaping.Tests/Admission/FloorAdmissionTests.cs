using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Admission;

namespace BandwidthOperator.Shaping.Tests.Admission;

public class FloorAdmissionTests
{
    private static readonly BitRate TenG = BitRate.Parse("10G");

    private static ObjectRef R(string name) => new("InterfaceBandwidth", "tenant-a", name);

    private static FloorRequest Req(string name, string floor, string? applied = null) =>
        new(R(name), BitRate.Parse(floor), applied is null ? null : BitRate.Parse(applied));

    private static IReadOnlyList<FloorDecision> Decide(BitRate capacity, params FloorRequest[] requests) =>
        FloorAdmission.Decide(requests, capacity, "tenant-net", "node-a");

    [Fact]
    public void Floors_that_fit_are_all_admitted()
    {
        var d = Decide(TenG, Req("a", "3G"), Req("b", "3G"), Req("c", "4G"));
        d.Select(x => x.Granted).ShouldBe([BitRate.Parse("3G"), BitRate.Parse("3G"), BitRate.Parse("4G")]);
        d.ShouldAllBe(x => x.FullyAdmitted);
        d[0].Message.ShouldBe("floor 3G admitted");
        d[0].Ref.ShouldBe(R("a"));
    }

    [Fact]
    public void Floor_over_remaining_capacity_is_refused()
    {
        var d = Decide(TenG, Req("a", "6G"), Req("b", "3.4G"), Req("c", "1G"));
        d[0].FullyAdmitted.ShouldBeTrue();
        d[1].FullyAdmitted.ShouldBeTrue();
        d[2].FullyAdmitted.ShouldBeFalse();
        d[2].Granted.ShouldBeNull();
        d[2].Message.ShouldBe("floor 1G does not fit: 600M of tenant-net's 10G inbound average is left on node-a");
    }

    [Fact]
    public void Oldest_newcomer_wins_and_a_smaller_younger_one_still_fits()
    {
        var d = Decide(TenG, Req("old", "8G"), Req("mid", "5G"), Req("young", "2G"));
        d.Select(x => x.FullyAdmitted).ShouldBe([true, false, true]);
        d[1].Message.ShouldContain("2G of tenant-net's 10G");
    }

    [Fact]
    public void Incumbents_keep_their_place_when_older_newcomers_arrive()
    {
        // "older" is first in the list (older), but "incumbent" already holds its floor in the kernel.
        var d = Decide(TenG, Req("older", "5G"), Req("incumbent", "8G", applied: "8G"));
        d[1].Granted.ShouldBe(BitRate.Parse("8G"));
        d[1].FullyAdmitted.ShouldBeTrue();
        d[0].Granted.ShouldBeNull();
        d[0].Message.ShouldBe("floor 5G does not fit: 2G of tenant-net's 10G inbound average is left on node-a");
    }

    [Fact]
    public void Raise_that_does_not_fit_keeps_the_previous_floor()
    {
        var d = Decide(TenG, Req("a", "6G", applied: "6G"), Req("b", "5G", applied: "3G"));
        d[1].Granted.ShouldBe(BitRate.Parse("3G"));
        d[1].FullyAdmitted.ShouldBeFalse();
        d[1].Message.ShouldBe("floor 5G does not fit: 1G of tenant-net's 10G inbound average is left on node-a beyond the 3G already applied, which stays");
    }

    [Fact]
    public void Raise_that_fits_is_admitted()
    {
        var d = Decide(TenG, Req("a", "6G", applied: "6G"), Req("b", "4G", applied: "3G"));
        d[1].Granted.ShouldBe(BitRate.Parse("4G"));
        d[1].FullyAdmitted.ShouldBeTrue();
    }

    [Fact]
    public void Lowered_floor_is_granted_and_frees_room()
    {
        var d = Decide(TenG, Req("a", "2G", applied: "9G"), Req("b", "8G"));
        d[0].Granted.ShouldBe(BitRate.Parse("2G"));
        d[1].Granted.ShouldBe(BitRate.Parse("8G"));
        d.ShouldAllBe(x => x.FullyAdmitted);
    }

    [Fact]
    public void Capacity_shrink_evicts_the_youngest_incumbents()
    {
        var d = Decide(BitRate.Parse("5G"), Req("a", "2G", applied: "2G"), Req("b", "2G", applied: "2G"), Req("c", "2G", applied: "2G"));
        d.Select(x => x.Granted).ShouldBe([BitRate.Parse("2G"), BitRate.Parse("2G"), null]);
        d[2].Message.ShouldBe("floor 2G does not fit: 1G of tenant-net's 5G inbound average is left on node-a");
    }

    [Fact]
    public void Floor_equal_to_the_whole_capacity_fits()
    {
        var d = Decide(TenG, Req("a", "10G"));
        d[0].FullyAdmitted.ShouldBeTrue();
        Decide(TenG, Req("a", "10G"), Req("b", "1"))[1].Message.ShouldContain("0 of tenant-net's 10G");
    }

    [Fact]
    public void No_requests_give_no_decisions() => Decide(TenG).ShouldBeEmpty();
}
