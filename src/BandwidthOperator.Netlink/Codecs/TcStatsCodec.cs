using System.Buffers.Binary;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>
/// Decodes <c>TCA_STATS2</c>: <c>gnet_stats_basic</c> (bytes, packets; <c>TCA_STATS_PKT64</c> when
/// present), <c>gnet_stats_queue</c> (qlen, backlog, drops, requeues, overlimits) and the rate
/// estimator (<c>RATE_EST64</c> or <c>RATE_EST</c>, bytes/s, reported here in bits/s).
/// </summary>
internal static class TcStatsCodec
{
    private const int StatsMax = 8;

    public static TcCounters? Decode(TcMessage m)
    {
        if (!m.Attributes.Has(Tca.TCA_STATS2))
        {
            return null;
        }

        var s = m.Attributes.Nested(Tca.TCA_STATS2, StatsMax);
        ulong bytes = 0, packets = 0, rate = 0;
        uint drops = 0, overlimits = 0, backlog = 0;
        var basic = s.Get(Tca.TCA_STATS_BASIC).Span;
        if (basic.Length >= 12)
        {
            bytes = BinaryPrimitives.ReadUInt64LittleEndian(basic);
            packets = BinaryPrimitives.ReadUInt32LittleEndian(basic[8..]);
        }

        if (s.U64(Tca.TCA_STATS_PKT64) is { } pkt64)
        {
            packets = pkt64;
        }

        var queue = s.Get(Tca.TCA_STATS_QUEUE).Span;
        if (queue.Length >= 20)
        {
            backlog = BinaryPrimitives.ReadUInt32LittleEndian(queue[4..]);
            drops = BinaryPrimitives.ReadUInt32LittleEndian(queue[8..]);
            overlimits = BinaryPrimitives.ReadUInt32LittleEndian(queue[16..]);
        }

        if (s.U64(Tca.TCA_STATS_RATE_EST64) is { } rate64)
        {
            rate = rate64 * 8;
        }
        else if (s.U32(Tca.TCA_STATS_RATE_EST) is { } rate32)
        {
            rate = (ulong)rate32 * 8;
        }

        return new TcCounters(bytes, packets, drops, overlimits, rate, backlog);
    }
}
