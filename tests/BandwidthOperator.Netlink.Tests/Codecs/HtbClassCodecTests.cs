using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests.Codecs;

public sealed class HtbClassCodecTests
{
    [Theory]
    [InlineData("100M", "100M", 64 * 1024, 8000u, 0u)]
    [InlineData("8000", "16000", 1600, 1000u, 7u)]
    [InlineData("10G", "40G", 256 * 1024, 200_000u, 1u)]
    [InlineData("34359738368", "100G", 1024 * 1024, 200_000u, 0u)]
    public void Htb_class_round_trips(string rate, string ceil, int burst, uint quantum, uint prio)
    {
        var c = new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), BitRate.Parse(rate), BitRate.Parse(ceil), new ByteSize((ulong)burst), new ByteSize((ulong)burst), quantum, prio);

        var (raw, tc) = Wire.Encode(w => HtbClassCodec.Encode(w, TcVerb.Add, c, 7, 1));

        raw.Type.ShouldBe(NetlinkNumbers.RTM_NEWTCLASS);
        tc.Handle.ShouldBe(0x0001_0003u);
        tc.Parent.ShouldBe(0x0001_0001u);
        HtbClassCodec.Decode(tc, "br0").ShouldBe(c);
    }

    [Fact]
    public void Htb_class_with_64bit_rate_puts_the_rate_in_rate64_and_all_ones_in_the_ratespec()
    {
        var c = new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), BitRate.Parse("40G"), BitRate.Parse("40G"), new ByteSize(65536), new ByteSize(65536), 200_000);

        var (_, tc) = Wire.Encode(w => HtbClassCodec.Encode(w, TcVerb.Add, c, 7, 1));

        var a = tc.Attributes.Nested(Tca.TCA_OPTIONS, 9);
        a.U64(Tca.TCA_HTB_RATE64).ShouldBe(5_000_000_000ul);
        a.U64(Tca.TCA_HTB_CEIL64).ShouldBe(5_000_000_000ul);
        var opt = a.Get(Tca.TCA_HTB_PARMS).ToArray();
        opt.Length.ShouldBe(44);
        opt[1].ShouldBe((byte)1, "linklayer ethernet");
        BitConverter.ToUInt32(opt, 8).ShouldBe(uint.MaxValue);
        BitConverter.ToUInt32(opt, 20).ShouldBe(uint.MaxValue);
    }

    [Fact]
    public void Htb_class_below_2_pow_32_bytes_has_no_rate64()
    {
        var c = new HtbClass("br0", TcHandle.Of(1, 3), TcHandle.Of(1, 1), BitRate.Parse("10G"), BitRate.Parse("10G"), new ByteSize(65536), new ByteSize(65536), 200_000);

        var (_, tc) = Wire.Encode(w => HtbClassCodec.Encode(w, TcVerb.Add, c, 7, 1));

        var a = tc.Attributes.Nested(Tca.TCA_OPTIONS, 9);
        a.Has(Tca.TCA_HTB_RATE64).ShouldBeFalse();
        BitConverter.ToUInt32(a.Get(Tca.TCA_HTB_PARMS).ToArray(), 8).ShouldBe(1_250_000_000u);
    }

    [Fact]
    public void Class_directly_under_the_qdisc_reads_back_with_the_qdisc_as_parent()
    {
        var c = new HtbClass("br0", TcHandle.Of(1, 1), TcHandle.Root, BitRate.Parse("100M"), BitRate.Parse("100M"), new ByteSize(65536), new ByteSize(65536), 8000);

        var (_, tc) = Wire.Encode(w => HtbClassCodec.Encode(w, TcVerb.Add, c, 7, 1));

        HtbClassCodec.Decode(tc, "br0").Parent.ShouldBe(TcHandle.Of(1, 0));
    }
}
