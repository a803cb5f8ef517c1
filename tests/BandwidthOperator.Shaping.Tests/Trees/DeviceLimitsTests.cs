using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Tests.Trees;

public class DeviceLimitsTests
{
    private static BandwidthLimits Limits(string? average, string? peak = null, string? burst = null) =>
        new(null, average is null ? null : BitRate.Parse(average), peak is null ? null : BitRate.Parse(peak), burst is null ? null : ByteSize.Parse(burst));

    [Fact]
    public void Inbound_average_is_a_tbf_b0_on_the_device()
    {
        var objects = DeviceLimits.Build("vnet3", 7, Limits("2G", "4G", "256Ki"), BandwidthLimits.None).ToList();
        objects.ShouldBe([new Qdisc("vnet3", TcHandle.Of(0xB0, 0), TcHandle.Root, new TbfQdiscOptions(BitRate.Parse("2G"), new ByteSize(262_144), new ByteSize(12_762_144), BitRate.Parse("4G"), new ByteSize(9216)))]);
    }

    [Fact]
    public void Tbf_burst_and_limit_default_from_the_rate()
    {
        var q = DeviceLimits.Tbf("vnet3", Limits("1G"))!;
        var o = q.Options.ShouldBeOfType<TbfQdiscOptions>();
        o.Burst.ShouldBe(new ByteSize(500_000));
        o.Limit.ShouldBe(new ByteSize(6_750_000));
        o.PeakRate.ShouldBeNull();
        o.Mtu.ShouldBeNull();

        var small = DeviceLimits.Tbf("vnet3", Limits("1M"))!.Options.ShouldBeOfType<TbfQdiscOptions>();
        small.Burst.ShouldBe(new ByteSize(16_384));
        small.Limit.ShouldBe(new ByteSize(65_536));
    }

    [Fact]
    public void No_average_means_no_tbf() => DeviceLimits.Tbf("vnet3", BandwidthLimits.None).ShouldBeNull();

    [Fact]
    public void Outbound_average_redirects_ingress_to_an_ifb_named_after_the_ifindex()
    {
        var objects = DeviceLimits.Build("vnet3", 7, BandwidthLimits.None, Limits("1G")).ToList();
        objects.Count.ShouldBe(4);
        objects[0].ShouldBe(new IfbLink("bwi7"));
        objects[1].ShouldBeOfType<Qdisc>().ShouldSatisfyAllConditions(
            q => q.Device.ShouldBe("bwi7"),
            q => q.Handle.ShouldBe(TcHandle.Of(0xB0, 0)),
            q => q.Options.ShouldBeOfType<TbfQdiscOptions>().Rate.ShouldBe(BitRate.Parse("1G")));
        objects[2].ShouldBe(new Qdisc("vnet3", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions()));
        var f = objects[3].ShouldBeOfType<U32Filter>();
        f.Device.ShouldBe("vnet3");
        f.Parent.ShouldBe(TcHandle.Of(0xFFFF, 0));
        f.RedirectTo.ShouldBe("bwi7");
        f.Protocol.ShouldBe(U32Filter.ProtocolAll);
    }

    [Theory]
    [InlineData("bwi7", true)]
    [InlineData("bwi123", true)]
    [InlineData("bwi", false)]
    [InlineData("bwi7a", false)]
    [InlineData("ifb0", false)]
    public void Our_ifb_names_are_bwi_and_digits(string name, bool ours) => DeviceLimits.IsOurIfb(name).ShouldBe(ours);

    [Fact]
    public void Our_tbf_is_recognised_by_handle_b0()
    {
        var q = DeviceLimits.Tbf("vnet3", Limits("1G"))!;
        DeviceLimits.IsOurTbf(q).ShouldBeTrue();
        DeviceLimits.IsOurTbf(q with { Handle = TcHandle.Of(1, 0) }).ShouldBeFalse();
    }
}
