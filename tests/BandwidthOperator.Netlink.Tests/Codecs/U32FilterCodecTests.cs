using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests.Codecs;

public sealed class U32FilterCodecTests
{
    private static readonly TcHandle Qdisc1 = TcHandle.Of(1, 0);

    public static TheoryData<U32Filter> Filters() => new()
    {
        new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(1, 0, 0), [], Divisor: 256),
        new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], Link: new U32Link(1, 0xFF, -12)),
        new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(1, 0x01, 4), [new U32Key(0x5254, 0xFFFF, -16), new U32Key(0x006B3C01, 0xFFFFFFFF, -12)], FlowId: TcHandle.Of(1, 3)),
        new U32Filter("br0", Qdisc1, 2, 0x0800, U32Handle.Make(0x800, 0, 0xFFF), [new U32Key(0x0A000001, 0xFFFFFFFF, 16)], FlowId: TcHandle.Of(1, 0xFFFF)),
        new U32Filter("br0", TcHandle.Of(0xFFFF, 0), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [new U32Key(0, 0, 0)], RedirectTo: "ifb0"),
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void U32_filter_round_trips(U32Filter f)
    {
        var (raw, tc) = Wire.Encode(w => U32FilterCodec.Encode(w, TcVerb.Add, f, 7, 1, Wire.Devices));

        raw.Type.ShouldBe(NetlinkNumbers.RTM_NEWTFILTER);
        tc.Kind.ShouldBe("u32");
        tc.Priority.ShouldBe(f.Priority);
        tc.Protocol.ShouldBe(f.Protocol);
        U32FilterCodec.Decode(tc, "br0", Wire.Devices).ShouldBe(f);
    }

    [Fact]
    public void Filter_info_is_priority_and_network_order_protocol()
    {
        TcMessage.FilterInfo(1, U32Filter.ProtocolAll).ShouldBe(0x0001_0300u);
        TcMessage.FilterInfo(0x10, 0x0800).ShouldBe(0x0010_0008u);
    }

    [Fact]
    public void Keys_and_hash_mask_go_to_the_kernel_big_endian_and_the_node_names_its_table_and_bucket()
    {
        var f = new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(2, 0xC4, 5), [new U32Key(0x00005254, 0x0000FFFF, -16)], FlowId: TcHandle.Of(1, 3));

        var (_, tc) = Wire.Encode(w => U32FilterCodec.Encode(w, TcVerb.Add, f, 7, 1, Wire.Devices));

        var a = tc.Attributes.Nested(Tca.TCA_OPTIONS, 12);
        a.U32(Tca.TCA_U32_HASH).ShouldBe(0x002C_4000u);
        a.U32(Tca.TCA_U32_CLASSID).ShouldBe(0x0001_0003u);
        var sel = a.Get(Tca.TCA_U32_SEL).ToArray();
        sel.Length.ShouldBe(32);
        sel[0].ShouldBe((byte)1, "terminal");
        sel[2].ShouldBe((byte)1, "one key");
        sel[16..20].ShouldBe(new byte[] { 0, 0, 0xFF, 0xFF }, "mask, big-endian");
        sel[20..24].ShouldBe(new byte[] { 0, 0, 0x52, 0x54 }, "value, big-endian");
        BitConverter.ToInt32(sel, 24).ShouldBe(-16);
    }

    [Fact]
    public void Link_sets_the_target_table_and_a_big_endian_hash_mask()
    {
        var f = new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [], Link: new U32Link(1, 0xFF, -12));

        var (_, tc) = Wire.Encode(w => U32FilterCodec.Encode(w, TcVerb.Add, f, 7, 1, Wire.Devices));

        var a = tc.Attributes.Nested(Tca.TCA_OPTIONS, 12);
        a.U32(Tca.TCA_U32_LINK).ShouldBe(0x0010_0000u);
        var sel = a.Get(Tca.TCA_U32_SEL).ToArray();
        sel[0].ShouldBe((byte)0, "a link is not terminal");
        BitConverter.ToInt16(sel, 10).ShouldBe((short)-12);
        sel[12..16].ShouldBe(new byte[] { 0, 0, 0, 0xFF });
    }

    [Fact]
    public void Redirect_to_an_unknown_device_is_refused_before_it_reaches_the_kernel()
    {
        var f = new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [], RedirectTo: "nope0");

        var e = Should.Throw<TcKernelException>(() => Wire.Encode(w => U32FilterCodec.Encode(w, TcVerb.Add, f, 7, 1, Wire.Devices)));

        e.Message.ShouldContain("nope0");
    }

    [Fact]
    public void Header_entry_and_the_kernels_root_table_are_not_listed()
    {
        var (_, header) = Wire.Encode(w =>
        {
            w.BeginMessage(NetlinkNumbers.RTM_NEWTFILTER, 0, 1);
            w.TcMsg(7, 0, Qdisc1.Value, TcMessage.FilterInfo(1, 3));
            w.PutString(Tca.TCA_KIND, "u32");
            w.EndMessage();
        });
        var root = new U32Filter("br0", Qdisc1, 1, U32Filter.ProtocolAll, U32FilterCodec.RootTable, [], Divisor: 1);
        var (_, rootMessage) = Wire.Encode(w => U32FilterCodec.Encode(w, TcVerb.Add, root, 7, 1, Wire.Devices));

        U32FilterCodec.Decode(header, "br0", Wire.Devices).ShouldBeNull();
        U32FilterCodec.Decode(rootMessage, "br0", Wire.Devices).ShouldBeNull();
    }
}
