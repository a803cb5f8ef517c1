using System.Buffers.Binary;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>A decoded <c>struct tcmsg</c> and its top-level <c>TCA_*</c> attributes.</summary>
internal sealed record TcMessage(ushort Type, int IfIndex, uint Handle, uint Parent, uint Info, NetlinkAttributes Attributes)
{
    private const int TcaMax = 16;

    public string? Kind => Attributes.String(Tca.TCA_KIND);

    /// <summary>Filter priority (upper half of <c>tcm_info</c>).</summary>
    public ushort Priority => (ushort)(Info >> 16);

    /// <summary>Filter protocol (lower half of <c>tcm_info</c>, big-endian there).</summary>
    public ushort Protocol => BinaryPrimitives.ReverseEndianness((ushort)(Info & 0xFFFF));

    public static TcMessage Parse(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        if (p.Length < Tca.TcMsgLength)
        {
            throw new InvalidDataException($"tc message type {m.Type} is {p.Length} bytes, shorter than struct tcmsg");
        }

        return new TcMessage(
            m.Type,
            BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(p[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(p[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(p[16..]),
            NetlinkAttributes.Parse(m.Payload[Tca.TcMsgLength..], TcaMax));
    }

    /// <summary><c>tcm_info</c> of a filter: <c>(prio &lt;&lt; 16) | htons(protocol)</c>.</summary>
    public static uint FilterInfo(ushort priority, ushort protocol) =>
        ((uint)priority << 16) | BinaryPrimitives.ReverseEndianness(protocol);

    /// <summary>nlmsg_flags for a verb: add = create+excl, change = none, replace = create+replace.</summary>
    public static ushort Flags(Shaping.Tc.TcVerb verb) => (ushort)(NetlinkNumbers.NLM_F_REQUEST | NetlinkNumbers.NLM_F_ACK | verb switch
    {
        Shaping.Tc.TcVerb.Add => NetlinkNumbers.NLM_F_CREATE | NetlinkNumbers.NLM_F_EXCL,
        Shaping.Tc.TcVerb.Replace => NetlinkNumbers.NLM_F_CREATE | NetlinkNumbers.NLM_F_REPLACE,
        _ => 0,
    });
}
