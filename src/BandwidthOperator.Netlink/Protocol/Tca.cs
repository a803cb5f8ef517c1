namespace BandwidthOperator.Netlink.Protocol;

/// <summary>Traffic-control numbers from <c>linux/rtnetlink.h</c>, <c>pkt_sched.h</c>, <c>pkt_cls.h</c>, <c>gen_stats.h</c>, <c>tc_act/tc_mirred.h</c>.</summary>
internal static class Tca
{
    public const int TcMsgLength = 20;

    public const ushort TCA_KIND = 1;
    public const ushort TCA_OPTIONS = 2;
    public const ushort TCA_STATS2 = 7;
    public const ushort TCA_CHAIN = 11;

    public const ushort TCA_STATS_BASIC = 1;
    public const ushort TCA_STATS_RATE_EST = 2;
    public const ushort TCA_STATS_QUEUE = 3;
    public const ushort TCA_STATS_RATE_EST64 = 5;
    public const ushort TCA_STATS_PKT64 = 8;

    public const byte TC_LINKLAYER_ETHERNET = 1;
    public const int RateSpecLength = 12;

    public const ushort TCA_HTB_PARMS = 1;
    public const ushort TCA_HTB_INIT = 2;
    public const ushort TCA_HTB_RATE64 = 6;
    public const ushort TCA_HTB_CEIL64 = 7;
    public const uint HtbVersion = 3;
    public const int HtbOptLength = 44;
    public const int HtbGlobLength = 20;

    public const ushort TCA_TBF_PARMS = 1;
    public const ushort TCA_TBF_RATE64 = 4;
    public const ushort TCA_TBF_PRATE64 = 5;
    public const ushort TCA_TBF_BURST = 6;
    public const ushort TCA_TBF_PBURST = 7;
    public const int TbfQoptLength = 36;

    public const int SfqQoptLength = 20;

    public const ushort TCA_U32_CLASSID = 1;
    public const ushort TCA_U32_HASH = 2;
    public const ushort TCA_U32_LINK = 3;
    public const ushort TCA_U32_DIVISOR = 4;
    public const ushort TCA_U32_SEL = 5;
    public const ushort TCA_U32_ACT = 7;
    public const byte TC_U32_TERMINAL = 1;
    public const int U32SelLength = 16;
    public const int U32KeyLength = 16;

    public const ushort TCA_ACT_KIND = 1;
    public const ushort TCA_ACT_OPTIONS = 2;
    public const ushort TCA_MIRRED_PARMS = 2;
    public const int MirredLength = 28;
    public const int TCA_EGRESS_REDIR = 1;
    public const int TC_ACT_STOLEN = 4;
}
