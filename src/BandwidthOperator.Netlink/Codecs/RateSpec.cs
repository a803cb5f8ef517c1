using System.Buffers.Binary;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>
/// <c>struct tc_ratespec</c> {cell_log u8, linklayer u8, overhead u16, cell_align s16, mpu u16, rate u32}.
/// Link layer Ethernet means the kernel computes transmit times itself (no rate table needed);
/// rates of 2^32 bytes/s and more hold ~0U here and go in a separate 64-bit attribute.
/// </summary>
internal static class RateSpec
{
    public static bool Needs64(BitRate rate) => rate.BytesPerSecond >= uint.MaxValue;

    public static void Write(Span<byte> spec, BitRate rate)
    {
        spec[1] = Tca.TC_LINKLAYER_ETHERNET;
        BinaryPrimitives.WriteUInt32LittleEndian(spec[8..], Needs64(rate) ? uint.MaxValue : (uint)rate.BytesPerSecond);
    }

    public static BitRate Read(ReadOnlySpan<byte> spec, ulong? rate64) =>
        BitRate.FromBytesPerSecond(rate64 ?? BinaryPrimitives.ReadUInt32LittleEndian(spec[8..]));
}
