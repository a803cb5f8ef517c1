namespace BandwidthOperator.Netlink.Protocol;

/// <summary>One received netlink message: header fields and the payload after <c>struct nlmsghdr</c>.</summary>
internal readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, ReadOnlyMemory<byte> Payload);
