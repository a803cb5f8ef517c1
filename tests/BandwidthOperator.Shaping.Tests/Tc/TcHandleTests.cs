using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Tests.Tc;

public class TcHandleTests
{
    [Theory]
    [InlineData(1, 0, "1:")]
    [InlineData(1, 2, "1:2")]
    [InlineData(1, 0xFFFF, "1:ffff")]
    [InlineData(0xB0, 0, "b0:")]
    [InlineData(0xFFFF, 0, "ffff:")]
    public void Handle_prints_in_tc_notation(ushort major, ushort minor, string expected)
    {
        var h = TcHandle.Of(major, minor);
        h.ToString().ShouldBe(expected);
        h.Major.ShouldBe(major);
        h.Minor.ShouldBe(minor);
        TcHandle.Parse(expected).ShouldBe(h);
    }

    [Fact]
    public void Root_and_ingress_have_names()
    {
        TcHandle.Root.ToString().ShouldBe("root");
        TcHandle.Ingress.ToString().ShouldBe("ingress");
        TcHandle.Parse("root").Value.ShouldBe(0xFFFF_FFFFu);
        TcHandle.Parse("ingress").Value.ShouldBe(0xFFFF_FFF1u);
    }

    [Fact]
    public void Parse_accepts_an_empty_major() => TcHandle.Parse(":a").ShouldBe(TcHandle.Of(0, 10));

    [Fact]
    public void Parse_refuses_text_without_a_colon() => Should.Throw<FormatException>(() => TcHandle.Parse("12"));

    [Fact]
    public void Handles_order_by_value() => TcHandle.Of(1, 2).CompareTo(TcHandle.Of(1, 3)).ShouldBeLessThan(0);
}
