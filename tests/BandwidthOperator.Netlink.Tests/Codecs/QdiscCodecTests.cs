using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests.Codecs;

public sealed class QdiscCodecTests
{
    public static TheoryData<QdiscOptions> Options() => new()
    {
        new HtbQdiscOptions(2),
        new HtbQdiscOptions(0xFFFF, 7),
        new TbfQdiscOptions(BitRate.Parse("100M"), new ByteSize(64 * 1024), new ByteSize(100_000)),
        new TbfQdiscOptions(BitRate.Parse("1G"), new ByteSize(256 * 1024), new ByteSize(1_000_000), BitRate.Parse("2G"), new ByteSize(2048)),
        new TbfQdiscOptions(BitRate.Parse("40G"), new ByteSize(1024 * 1024), new ByteSize(10_000_000), BitRate.Parse("100G"), new ByteSize(9000)),
        FifoQdiscOptions.Pfifo(100),
        new FifoQdiscOptions("bfifo", 150_000),
        new SfqQdiscOptions(10),
        new FqCodelQdiscOptions(),
        new IngressQdiscOptions(),
        new ClsactQdiscOptions(),
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Qdisc_round_trips(QdiscOptions options)
    {
        var q = options is IngressQdiscOptions or ClsactQdiscOptions
            ? new Qdisc("br0", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, options)
            : new Qdisc("br0", TcHandle.Of(1, 0), TcHandle.Root, options);

        var (raw, tc) = Wire.Encode(w => QdiscCodec.Encode(w, TcVerb.Add, q, 7, 1));

        raw.Type.ShouldBe(NetlinkNumbers.RTM_NEWQDISC);
        tc.IfIndex.ShouldBe(7);
        tc.Kind.ShouldBe(q.Kind);
        QdiscCodec.Decode(tc, "br0").ShouldBe(q);
    }

    [Theory]
    [InlineData(TcVerb.Add, NetlinkNumbers.NLM_F_CREATE | NetlinkNumbers.NLM_F_EXCL)]
    [InlineData(TcVerb.Change, 0)]
    [InlineData(TcVerb.Replace, NetlinkNumbers.NLM_F_CREATE | NetlinkNumbers.NLM_F_REPLACE)]
    [InlineData(TcVerb.Delete, 0)]
    public void Verbs_set_the_netlink_flags_tc_uses(TcVerb verb, int expected)
    {
        var q = new Qdisc("br0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2));

        var (raw, _) = Wire.Encode(w => QdiscCodec.Encode(w, verb, q, 7, 1));

        raw.Flags.ShouldBe((ushort)(NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_ACK | expected));
        raw.Type.ShouldBe(verb == TcVerb.Delete ? NetlinkNumbers.RTM_DELQDISC : NetlinkNumbers.RTM_NEWQDISC);
    }

    [Fact]
    public void Htb_qdisc_sends_version_3_r2q_and_default_class()
    {
        var q = new Qdisc("br0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2, 10));

        var (_, tc) = Wire.Encode(w => QdiscCodec.Encode(w, TcVerb.Add, q, 7, 1));

        var glob = tc.Attributes.Nested(Tca.TCA_OPTIONS, 9).Get(Tca.TCA_HTB_INIT).ToArray();
        glob.Length.ShouldBe(20);
        BitConverter.ToUInt32(glob, 0).ShouldBe(3u);
        BitConverter.ToUInt32(glob, 4).ShouldBe(10u);
        BitConverter.ToUInt32(glob, 8).ShouldBe(2u);
    }

    [Fact]
    public void Unknown_kind_decodes_to_other()
    {
        var (_, tc) = Wire.Encode(w =>
        {
            w.BeginMessage(NetlinkNumbers.RTM_NEWQDISC, 0, 1);
            w.TcMsg(7, 0, TcHandle.Root.Value);
            w.PutString(Tca.TCA_KIND, "noqueue");
            w.EndMessage();
        });

        QdiscCodec.Decode(tc, "br0").ShouldBe(new Qdisc("br0", new TcHandle(0), TcHandle.Root, new OtherQdiscOptions("noqueue")));
    }

    [Theory]
    [InlineData("1M", 64 * 1024, false)]
    [InlineData("1M", 1024 * 1024, true)]
    [InlineData("10G", 1024 * 1024, false)]
    public void Tbf_sends_the_burst_in_bytes_only_when_its_ticks_exceed_what_the_kernel_keeps(string rate, int burst, bool expected)
    {
        var q = new Qdisc("br0", TcHandle.Of(1, 0), TcHandle.Root, new TbfQdiscOptions(BitRate.Parse(rate), new ByteSize((ulong)burst), new ByteSize(100_000)));

        var (_, tc) = Wire.Encode(w => QdiscCodec.Encode(w, TcVerb.Add, q, 7, 1));

        var a = tc.Attributes.Nested(Tca.TCA_OPTIONS, 8);
        a.Has(Tca.TCA_TBF_BURST).ShouldBe(expected);
        if (expected)
        {
            a.U32(Tca.TCA_TBF_BURST).ShouldBe((uint)burst);
        }
    }
}
