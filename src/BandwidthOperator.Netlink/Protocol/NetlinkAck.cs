namespace BandwidthOperator.Netlink.Protocol;

/// <summary>The kernel's answer to one request: errno (0 = success) and its extended-ack message, if any.</summary>
internal readonly record struct NetlinkAck(uint Sequence, int Errno, string? KernelMessage)
{
    public bool Ok => Errno == 0;
}
