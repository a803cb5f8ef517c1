using System.Buffers.Binary;

namespace BandwidthOperator.Netlink.Protocol;

/// <summary>One received netlink message: header fields and the payload after <c>struct nlmsghdr</c>.</summary>
internal readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Splits a datagram (or a written batch) into its messages, copying each payload.</summary>
    public static List<NetlinkMessage> Split(ReadOnlySpan<byte> data)
    {
        var list = new List<NetlinkMessage>();
        var offset = 0;
        while (offset + NetlinkNumbers.HeaderLength <= data.Length)
        {
            var h = data[offset..];
            var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
            if (len < NetlinkNumbers.HeaderLength || offset + len > data.Length)
            {
                break;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]);
            var seq = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
            list.Add(new NetlinkMessage(type, flags, seq, h[NetlinkNumbers.HeaderLength..len].ToArray()));
            offset += (len + 3) & ~3;
        }

        return list;
    }
}
