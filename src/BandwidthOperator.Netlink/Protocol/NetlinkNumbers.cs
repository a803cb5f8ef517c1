namespace BandwidthOperator.Netlink.Protocol;

/// <summary>Numbers from <c>linux/netlink.h</c> and <c>linux/rtnetlink.h</c>.</summary>
internal static class NetlinkNumbers
{
    public const int HeaderLength = 16;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_ECHO = 0x8;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    // Flags of an NLMSG_ERROR message (acknowledgement).
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_TYPE_MASK = 0x3FFF;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort RTM_NEWQDISC = 36;
    public const ushort RTM_DELQDISC = 37;
    public const ushort RTM_GETQDISC = 38;
    public const ushort RTM_NEWTCLASS = 40;
    public const ushort RTM_DELTCLASS = 41;
    public const ushort RTM_GETTCLASS = 42;
    public const ushort RTM_NEWTFILTER = 44;
    public const ushort RTM_DELTFILTER = 45;
    public const ushort RTM_GETTFILTER = 46;

    public const uint RTNLGRP_LINK = 1;
    public const uint RTNLGRP_NEIGH = 3;
    public const uint RTNLGRP_TC = 4;

    public const byte AF_UNSPEC = 0;
    public const byte AF_BRIDGE = 7;

    // struct ifinfomsg attributes
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_INFO_KIND = 1;
    public const uint IFF_UP = 0x1;
    public const int IfInfoMsgLength = 16;

    // struct ndmsg attributes
    public const ushort NDA_LLADDR = 2;
    public const ushort NDA_MASTER = 9;
    public const int NdMsgLength = 12;
}
