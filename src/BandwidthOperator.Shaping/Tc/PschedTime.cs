using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// The kernel keeps HTB and TBF bursts as the time it takes to send them at the class's rate, in
/// psched ticks of 64 ns (<c>PSCHED_SHIFT</c> = 6), i.e. 15,625,000 ticks a second. iproute2 computes
/// the same (<c>tc_calc_xmittime</c>). Converting bytes → ticks → bytes is lossy, so equality of two
/// bursts is decided in ticks.
/// </summary>
public static class PschedTime
{
    public const ulong TicksPerSecond = 15_625_000;

    /// <summary>Ticks to send <paramref name="size"/> at <paramref name="rate"/> (what goes into <c>buffer</c>).</summary>
    public static uint Ticks(BitRate rate, ByteSize size)
    {
        var bytesPerSecond = rate.BytesPerSecond;
        if (bytesPerSecond == 0)
        {
            return 0;
        }

        var ticks = (UInt128)size.Bytes * TicksPerSecond / bytesPerSecond;
        return ticks > uint.MaxValue ? uint.MaxValue : (uint)ticks;
    }

    /// <summary>The size a <c>buffer</c> of <paramref name="ticks"/> stands for at <paramref name="rate"/>, rounded up.</summary>
    public static ByteSize Size(BitRate rate, uint ticks)
    {
        var bytes = ((UInt128)ticks * rate.BytesPerSecond + TicksPerSecond - 1) / TicksPerSecond;
        return new ByteSize((ulong)bytes);
    }

    public static bool SameBuffer(BitRate rate, ByteSize a, ByteSize b) => a == b || Ticks(rate, a) == Ticks(rate, b);
}
