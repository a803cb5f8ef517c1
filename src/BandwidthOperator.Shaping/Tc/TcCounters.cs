namespace BandwidthOperator.Shaping.Tc;

/// <summary>Statistics the kernel keeps for a qdisc or class (<c>tc -s</c>).</summary>
public sealed record TcCounters(ulong Bytes, ulong Packets, uint Drops, uint Overlimits, ulong RateBitsPerSecond, uint Backlog);
