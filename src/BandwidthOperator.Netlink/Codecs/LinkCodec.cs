using System.Buffers.Binary;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>Encodes link requests (<c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>) and decodes link and bridge FDB dumps.</summary>
internal static class LinkCodec
{
    private const int IflaMax = 64;
    private const int InfoMax = 5;
    private const int NdaMax = 16;

    /// <summary><c>ip link add NAME type ifb up</c> (or, for <paramref name="create"/> false, <c>ip link set NAME up</c>).</summary>
    public static void EncodeIfb(NetlinkWriter w, string device, uint sequence, bool create)
    {
        var flags = (ushort)(NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_ACK | (create ? NetlinkNumbers.NLM_F_CREATE | NetlinkNumbers.NLM_F_EXCL : 0));
        w.BeginMessage(NetlinkNumbers.RTM_NEWLINK, flags, sequence);
        w.IfInfoMsg(0, NetlinkNumbers.IFF_UP, NetlinkNumbers.IFF_UP);
        w.PutString(NetlinkNumbers.IFLA_IFNAME, device);
        if (create)
        {
            var info = w.BeginNest(NetlinkNumbers.IFLA_LINKINFO);
            w.PutString(NetlinkNumbers.IFLA_INFO_KIND, "ifb");
            w.EndNest(info);
        }

        w.EndMessage();
    }

    /// <summary><c>ip link del NAME</c>.</summary>
    public static void EncodeDelete(NetlinkWriter w, string device, uint sequence)
    {
        w.BeginMessage(NetlinkNumbers.RTM_DELLINK, NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_ACK, sequence);
        w.IfInfoMsg(0);
        w.PutString(NetlinkNumbers.IFLA_IFNAME, device);
        w.EndMessage();
    }

    public static NetworkLink? DecodeLink(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        if (m.Type != NetlinkNumbers.RTM_NEWLINK || p.Length < NetlinkNumbers.IfInfoMsgLength)
        {
            return null;
        }

        var index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]);
        var a = NetlinkAttributes.Parse(m.Payload[NetlinkNumbers.IfInfoMsgLength..], IflaMax);
        var name = a.String(NetlinkNumbers.IFLA_IFNAME);
        if (name is null)
        {
            return null;
        }

        var kind = a.Nested(NetlinkNumbers.IFLA_LINKINFO, InfoMax).String(NetlinkNumbers.IFLA_INFO_KIND);
        var master = a.U32(NetlinkNumbers.IFLA_MASTER);
        return new NetworkLink(index, name, kind, (flags & NetlinkNumbers.IFF_UP) != 0, master is { } mi and > 0 ? (int)mi : null);
    }

    /// <summary>A bridge FDB entry: (port ifindex, MAC, bridge ifindex or null).</summary>
    public static (int Port, MacAddress Mac, int? Master)? DecodeFdb(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        if (m.Type != NetlinkNumbers.RTM_NEWNEIGH || p.Length < NetlinkNumbers.NdMsgLength || p[0] != NetlinkNumbers.AF_BRIDGE)
        {
            return null;
        }

        var a = NetlinkAttributes.Parse(m.Payload[NetlinkNumbers.NdMsgLength..], NdaMax);
        var lladdr = a.Get(NetlinkNumbers.NDA_LLADDR).Span;
        if (lladdr.Length != 6)
        {
            return null;
        }

        var master = a.U32(NetlinkNumbers.NDA_MASTER);
        return (BinaryPrimitives.ReadInt32LittleEndian(p[4..]), MacAddress.FromBytes(lladdr), master is { } mi ? (int)mi : null);
    }
}
