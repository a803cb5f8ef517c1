using System.Buffers.Binary;

namespace BandwidthOperator.Netlink.Protocol;

/// <summary>
/// One received netlink message: header fields and the payload after <c>struct nlmsghdr</c>.
/// <paramref name="PortId"/> is <c>nlmsg_pid</c>: in a notification, the port of the socket whose request caused it.
/// </summary>
internal readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, ReadOnlyMemory<byte> Payload, uint PortId = 0)
{
    /// <summary>Splits a datagram (or a written batch) into its messages; their payloads share one copy of it.</summary>
    public static List<NetlinkMessage> Split(ReadOnlySpan<byte> data)
    {
        var list = new List<NetlinkMessage>();
        var copy = data.ToArray();
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
            var port = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
            list.Add(new NetlinkMessage(type, flags, seq, new ReadOnlyMemory<byte>(copy, offset + NetlinkNumbers.HeaderLength, len - NetlinkNumbers.HeaderLength), port));
            offset += (len + 3) & ~3;
        }

        return list;
    }
}
